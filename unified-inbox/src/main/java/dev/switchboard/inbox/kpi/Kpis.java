package dev.switchboard.inbox.kpi;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.TenantId;
import java.io.IOException;
import java.io.Writer;
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
     * holiday added for past days, new opening hours, another zone). Returns how many cycles it rewrote. The summed
     * business time of next responses is not recomputed (see {@code docs/kpis.md}).
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
                KpiTotals.Durations.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public String toString() {
        return "Kpis[" + tenant + "]";
    }
}
