package dev.switchboard.inbox.kpi;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a {@link KpiQuery}: the total over the whole range and one row per group and period, sorted by period
 * then group values. Additive figures (counts and sums) of the rows add up to the total. Immutable.
 *
 * @param query the query answered
 * @param total the KPIs of every cycle of the range
 * @param rows one row per group (and period) with at least one cycle
 */
public record KpiSummary(KpiQuery query, KpiRow total, List<KpiRow> rows) {

    /** Checks that no component is null and copies the rows. */
    public KpiSummary {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(total, "total");
        rows = List.copyOf(rows);
    }
}
