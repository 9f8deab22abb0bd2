package dev.switchboard.inbox.kpi;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.TenantId;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One tenant's contact-center KPIs (first response, resolution, volume, resolution rate, complaints, CSAT,
 * next response, SLA attainment; definitions in {@code docs/kpis.md}), aggregated from the conversation-cycle facts the
 * projector derives from the durable event feed. Every call first projects the events appended since the last
 * projection, so an answer reflects every event committed before it, on any node. Get it with
 * {@code TenantInbox.kpis()}; needs a store that keeps KPI facts (the in-memory and JDBC stores do). Thread-safe.
 *
 * <pre>{@code
 * KpiSummary march = inbox.forTenant(tenant).kpis().summary(
 *         KpiQuery.builder(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1))
 *                 .groupBy(KpiDimension.AGENT).basis(TimeBasis.BUSINESS).build());
 * }</pre>
 */
public final class Kpis {
    private static final Comparator<KpiRow> ROW_ORDER = Comparator
            .comparing((KpiRow r) -> r.period().orElse(""))
            .thenComparing(r -> String.join("\u0000", r.group().values()));

    private final KpiProjector projector;
    private final InboxStore store;
    private final TenantId tenant;

    Kpis(KpiProjector projector, InboxStore store, TenantId tenant) {
        this.projector = projector;
        this.store = store;
        this.tenant = tenant;
    }

    /** The tenant these KPIs are of. */
    public TenantId tenant() {
        return tenant;
    }

    /**
     * The KPIs of the tenant's conversation cycles opened in the query's range: the total and one row per group (and
     * period), aggregated by the store (SQL in the JDBC store).
     *
     * @throws UnsupportedOperationException when the store keeps no KPI facts
     */
    public KpiSummary summary(KpiQuery query) {
        Objects.requireNonNull(query, "query");
        // the usual case, nothing or little to project: one transaction projects it and answers
        KpiSummary answer = store.inTransaction(tx -> projector.projectPage(tx) < KpiProjector.PAGE
                ? answer(tx, query) : null);
        if (answer != null) {
            return answer;
        }
        projector.catchUp();
        return store.inTransaction(tx -> answer(tx, query));
    }

    private KpiSummary answer(InboxTransaction tx, KpiQuery query) {
        List<KpiTotals> totals = tx.kpiOverallAndGroups(tenant, query);
        KpiRow totalRow = KpiRow.of(query.totals(), totals.isEmpty() ? zero() : totals.get(0));
        List<KpiRow> rows = new ArrayList<>();
        if (query.groupBy().isEmpty() && query.period().isEmpty()) {
            rows.add(totalRow);
        } else {
            for (KpiTotals t : totals.subList(Math.min(1, totals.size()), totals.size())) {
                if (t.conversations() > 0) {
                    rows.add(KpiRow.of(query, t));
                }
            }
            rows.sort(ROW_ORDER);
        }
        return new KpiSummary(query, totalRow, rows);
    }

    /**
     * The histogram of {@code metric} over the query's range and basis with the {@link KpiDistribution#DEFAULT_BOUNDS}.
     *
     * @throws IllegalArgumentException when the query has a grouping or a period (a distribution is of the range)
     */
    public KpiDistribution distribution(KpiQuery query, KpiMetric metric) {
        return distribution(query, metric, KpiDistribution.DEFAULT_BOUNDS);
    }

    /**
     * The histogram of {@code metric} over the query's range and basis, with buckets between the given bounds
     * ({@code [0, b1)}, {@code [b1, b2)}, ..., {@code [bn, ∞)}), counted by the store (one SQL {@code GROUP BY} in the
     * JDBC store). Projects what is new first, like {@link #summary(KpiQuery)}.
     *
     * @throws IllegalArgumentException when the query has a grouping or a period, or the bounds are empty, more than
     *     {@link KpiDistribution#MAX_BOUNDS}, not positive or not strictly increasing (whole milliseconds)
     */
    public KpiDistribution distribution(KpiQuery query, KpiMetric metric, List<Duration> bounds) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(bounds, "bounds");
        if (!query.groupBy().isEmpty() || query.period().isPresent()) {
            throw new IllegalArgumentException("distribution: the query must have no groupBy and no period");
        }
        if (bounds.isEmpty() || bounds.size() > KpiDistribution.MAX_BOUNDS) {
            throw new IllegalArgumentException("distribution: bounds must have 1 to " + KpiDistribution.MAX_BOUNDS
                    + " durations, had " + bounds.size());
        }
        List<Long> boundsMs = new ArrayList<>();
        for (Duration b : bounds) {
            long ms = Objects.requireNonNull(b, "bounds").toMillis();
            if (ms <= 0 || !boundsMs.isEmpty() && ms <= boundsMs.get(boundsMs.size() - 1)) {
                throw new IllegalArgumentException("distribution: bounds must be positive and strictly increasing"
                        + " whole milliseconds: " + bounds);
            }
            boundsMs.add(ms);
        }
        List<Long> counts = store.inTransaction(tx -> projector.projectPage(tx) < KpiProjector.PAGE
                ? tx.kpiHistogram(tenant, query, metric, boundsMs) : null);
        if (counts == null) {
            projector.catchUp();
            counts = store.inTransaction(tx -> tx.kpiHistogram(tenant, query, metric, boundsMs));
        }
        List<KpiDistribution.Bucket> buckets = new ArrayList<>();
        for (int i = 0; i <= boundsMs.size(); i++) {
            buckets.add(new KpiDistribution.Bucket(i == 0 ? Duration.ZERO : Duration.ofMillis(boundsMs.get(i - 1)),
                    i < boundsMs.size() ? java.util.Optional.of(Duration.ofMillis(boundsMs.get(i)))
                            : java.util.Optional.empty(), counts.get(i)));
        }
        return new KpiDistribution(query, metric, buckets);
    }

    /**
     * Writes {@link #summary(KpiQuery)} as CSV: a header, one line per row, then the total; exactly the numbers the
     * summary returns (durations in milliseconds). Does not close {@code out}.
     *
     * @throws IOException when writing fails
     */
    public void exportCsv(KpiQuery query, Writer out) throws IOException {
        Objects.requireNonNull(out, "out");
        KpiCsv.write(summary(query), out);
    }

    /**
     * Projects the events appended since the last projection (every summary does this first); returns how many
     * events it projected. Hosts may call it on a schedule so summaries find little to do.
     */
    public long catchUp() {
        return projector.catchUp();
    }

    /**
     * Recomputes the business-time durations and the period keys of this tenant's cycles opened in
     * [{@code from}, {@code to}) with the calendars set now: call it after changing a calendar retroactively (a
     * holiday added for past days, new opening hours, another zone). Returns how many cycles it rewrote (their
     * first-response, resolution and each next-response business time).
     */
    public long recomputeBusinessTimes(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("recomputeBusinessTimes: from (" + from + ") must be before to ("
                    + to + ")");
        }
        return projector.recompute(tenant, from, to);
    }

    private static KpiTotals zero() {
        return new KpiTotals(List.of(), java.util.Optional.empty(), 0, 0, 0, 0, 0, 0, KpiTotals.Durations.NONE,
                KpiTotals.Durations.NONE, KpiTotals.Durations.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public String toString() {
        return "Kpis[" + tenant + "]";
    }
}
