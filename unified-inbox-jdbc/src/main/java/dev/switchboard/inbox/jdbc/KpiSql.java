package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.kpi.KpiDimension;
import dev.switchboard.inbox.kpi.KpiPeriod;
import dev.switchboard.inbox.kpi.KpiQuery;
import dev.switchboard.inbox.kpi.TimeBasis;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of the KPI tables ({@code sb_kpi_fact}, {@code sb_kpi_wait}, {@code sb_kpi_checkpoint}) and of the
 * aggregation a KPI summary runs: one {@code GROUP BY} over a tenant's day range of the facts and one of the
 * next-response waits, with {@code PERCENTILE_DISC ... WITHIN GROUP} (PostgreSQL), or, where that aggregate is
 * missing (MariaDB) or not the standard's (H2), the sums in those queries and each duration's percentiles in another;
 * and the bucket counts of a histogram.
 */
final class KpiSql {
    static final List<String> COLUMN_LIST = List.of("tenant", "conversation_id", "cycle_no", "customer_id", "channel",
            "channel_type", "agent", "team", "priority", "outcome", "opened_at", "opened_day", "opened_week",
            "opened_month", "first_customer_at", "awaiting_since", "first_response_at", "first_response_ms",
            "first_response_bus_ms", "resolved_at", "resolution_ms", "resolution_bus_ms", "messages_in",
            "messages_out", "next_responses", "next_response_ms", "next_response_bus_ms", "rating", "surveyed",
            "complaint", "fr_breached", "res_breached", "nr_breaches", "sla_policy", "fr_sla", "res_sla");
    static final List<String> WAIT_COLUMN_LIST = List.of("tenant", "conversation_id", "cycle_no", "wait_no",
            "waiting_since", "answered_at", "wait_ms", "wait_bus_ms", "channel", "channel_type", "agent", "team",
            "priority", "sla_policy", "opened_day", "opened_week", "opened_month");
    static final String COLUMNS = String.join(", ", COLUMN_LIST);

    final String factTable;
    final String waitTable;
    final String upsertWait;
    final String selectWaits;
    final String relabelWaits;
    final String checkpointTable;
    final String upsert;
    final String selectOfConversation;
    final String selectOpened;
    final String lockCheckpoint;
    final String updateCheckpoint;
    private final boolean windowPercentiles;
    private final boolean groupingSets;

    KpiSql(String prefix, Dialect dialect) {
        factTable = prefix + "sb_kpi_fact";
        checkpointTable = prefix + "sb_kpi_checkpoint";
        waitTable = prefix + "sb_kpi_wait";
        upsertWait = dialect.upsert(waitTable, WAIT_COLUMN_LIST, List.of("tenant", "conversation_id", "cycle_no",
                "wait_no"));
        selectWaits = "SELECT " + String.join(", ", WAIT_COLUMN_LIST) + " FROM " + waitTable
                + " WHERE tenant = ? AND conversation_id = ? AND cycle_no = ? ORDER BY wait_no";
        relabelWaits = "UPDATE " + waitTable + " SET channel = ?, channel_type = ?, agent = ?, team = ?,"
                + " priority = ?, sla_policy = ?, opened_day = ?, opened_week = ?, opened_month = ?"
                + " WHERE tenant = ? AND conversation_id = ? AND cycle_no = ?";
        String checkpoint = checkpointTable;
        upsert = dialect.upsert(factTable, COLUMN_LIST, List.of("tenant", "conversation_id", "cycle_no"));
        selectOfConversation = "SELECT " + COLUMNS + " FROM " + factTable
                + " WHERE tenant = ? AND conversation_id = ? ORDER BY cycle_no";
        selectOpened = "SELECT " + COLUMNS + " FROM " + factTable + " WHERE tenant = ? AND opened_at >= ?"
                + " AND opened_at < ? AND (conversation_id > ? OR (conversation_id = ? AND cycle_no > ?))"
                + " ORDER BY conversation_id, cycle_no LIMIT ?";
        lockCheckpoint = "SELECT seq FROM " + checkpoint + " WHERE id = 1 FOR UPDATE";
        updateCheckpoint = "UPDATE " + checkpoint + " SET seq = ? WHERE id = 1";
        windowPercentiles = dialect.percentilesOnlyAsWindow();
        groupingSets = dialect.kpiGroupingSets();
    }

    /** Whether percentiles need {@link #percentiles} queries besides {@link #totals}. */
    boolean windowPercentiles() {
        return windowPercentiles;
    }

    /** Whether {@link #overallAndGroups} exists for this dialect. */
    boolean groupingSets() {
        return groupingSets;
    }

    /**
     * {@link #totals} of a grouped query with the overall totals in the same pass ({@code GROUPING SETS}); the
     * overall row has NULL group columns (the columns themselves are never NULL).
     */
    String overallAndGroups(KpiQuery q) {
        return withGroupingSets(q, totals(q));
    }

    /** {@link #waitTotals} of a grouped query with the overall durations in the same pass (as above). */
    String waitOverallAndGroups(KpiQuery q) {
        return withGroupingSets(q, waitTotals(q));
    }

    private static String withGroupingSets(KpiQuery q, String grouped) {
        List<String> group = groupColumns(q);
        String by = " GROUP BY " + String.join(", ", group);
        return grouped.substring(0, grouped.length() - by.length()) + " GROUP BY GROUPING SETS (("
                + String.join(", ", group) + "), ())";
    }

    /** The grouping columns of a query: its dimensions, then its period's key column (if any). */
    static List<String> groupColumns(KpiQuery query) {
        List<String> cols = new ArrayList<>();
        for (KpiDimension d : query.groupBy()) {
            cols.add(switch (d) {
                case CHANNEL_TYPE -> "channel_type";
                case CHANNEL -> "channel";
                case AGENT -> "agent";
                case TEAM -> "team";
                case PRIORITY -> "priority";
                case SLA_POLICY -> "sla_policy";
            });
        }
        query.period().ifPresent(p -> cols.add(p == KpiPeriod.DAY ? "opened_day"
                : p == KpiPeriod.WEEK ? "opened_week" : "opened_month"));
        return cols;
    }

    static String firstResponseColumn(KpiQuery q) {
        return q.basis() == TimeBasis.BUSINESS ? "first_response_bus_ms" : "first_response_ms";
    }

    static String resolutionColumn(KpiQuery q) {
        return q.basis() == TimeBasis.BUSINESS ? "resolution_bus_ms" : "resolution_ms";
    }

    static String waitColumn(KpiQuery q) {
        return q.basis() == TimeBasis.BUSINESS ? "wait_bus_ms" : "wait_ms";
    }

    /**
     * The aggregate of a tenant's day range (binds: tenant, from day, to day): the group columns, then 25 figures
     * in the order of {@code KpiTotals}' components without the next-response durations (see {@link #waitTotals};
     * percentiles 0 when {@link #windowPercentiles()}). SLA attainment counts only the cycles a clock of its kind
     * started in, once met or breached.
     */
    String totals(KpiQuery q) {
        List<String> group = groupColumns(q);
        String fr = firstResponseColumn(q);
        String res = resolutionColumn(q);
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String g : group) {
            sql.append(g).append(", ");
        }
        sql.append("COUNT(*), SUM(CASE WHEN cycle_no > 1 THEN 1 ELSE 0 END), SUM(messages_in), SUM(messages_out),")
                .append(" SUM(CASE WHEN outcome = 'RESOLVED' THEN 1 ELSE 0 END),")
                .append(" SUM(CASE WHEN outcome = 'FOLDED' THEN 1 ELSE 0 END), ")
                .append(durations(fr)).append(", ").append(durations(res))
                .append(", SUM(complaint), COUNT(rating),")
                .append(" SUM(rating), SUM(surveyed), SUM(CASE WHEN surveyed = 1 AND rating IS NOT NULL THEN 1 ELSE 0")
                .append(" END), SUM(CASE WHEN fr_sla = 1 AND (first_response_ms IS NOT NULL OR outcome = 'RESOLVED'")
                .append(" OR fr_breached = 1) THEN 1 ELSE 0 END),")
                .append(" SUM(CASE WHEN fr_sla = 1 AND fr_breached = 1 THEN 1 ELSE 0 END),")
                .append(" SUM(CASE WHEN res_sla = 1 AND (outcome = 'RESOLVED' OR res_breached = 1) THEN 1 ELSE 0")
                .append(" END), SUM(CASE WHEN res_sla = 1 AND res_breached = 1 THEN 1 ELSE 0 END) FROM ")
                .append(factTable).append(" WHERE tenant = ? AND opened_day >= ? AND opened_day < ?");
        if (!group.isEmpty()) {
            sql.append(" GROUP BY ").append(String.join(", ", group));
        }
        return sql.toString();
    }

    /**
     * The next-response durations of a tenant's day range from {@code sb_kpi_wait} (binds: tenant, from day, to
     * day): the group columns, then count, sum, median, p90 (0 when {@link #windowPercentiles()}) and max.
     */
    String waitTotals(KpiQuery q) {
        List<String> group = groupColumns(q);
        String cols = group.isEmpty() ? "" : String.join(", ", group) + ", ";
        return "SELECT " + cols + durations(waitColumn(q)) + " FROM " + waitTable
                + " WHERE tenant = ? AND opened_day >= ? AND opened_day < ?"
                + (group.isEmpty() ? "" : " GROUP BY " + String.join(", ", group));
    }

    /**
     * How many values of {@code col} in {@code table} fall in each bucket of {@code boundsMs} (binds: tenant, from
     * day, to day): rows of bucket index (0..n) and count, buckets without values absent. The bounds are numbers
     * the caller checked, written into the statement.
     */
    static String histogram(String table, String col, List<Long> boundsMs) {
        StringBuilder bucket = new StringBuilder("CASE");
        for (int i = 0; i < boundsMs.size(); i++) {
            bucket.append(" WHEN ").append(col).append(" < ").append((long) boundsMs.get(i)).append(" THEN ")
                    .append(i);
        }
        bucket.append(" ELSE ").append(boundsMs.size()).append(" END");
        return "SELECT b, COUNT(*) FROM (SELECT " + bucket + " AS b FROM " + table
                + " WHERE tenant = ? AND opened_day >= ? AND opened_day < ? AND " + col + " IS NOT NULL) h GROUP BY b";
    }

    private String durations(String col) {
        String p50 = windowPercentiles ? "0" : "PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY " + col + ")";
        String p90 = windowPercentiles ? "0" : "PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY " + col + ")";
        return "COUNT(" + col + "), SUM(" + col + "), " + p50 + ", " + p90 + ", MAX(" + col + ")";
    }

    /**
     * The median and p90 of one duration column per group (binds: tenant, from day, to day): the group columns, then
     * the two percentiles, as {@code percentile_disc} defines them (the smallest value whose row number in the
     * group's order is at least {@code p * n}), from {@code ROW_NUMBER} and {@code COUNT} windows in exact integer
     * arithmetic. Used where the ordered-set aggregate is missing (MariaDB) or not the standard's (H2 rounds
     * {@code (n - 1) * p} to the nearest row).
     */
    String percentiles(KpiQuery q, String table, String col) {
        List<String> group = groupColumns(q);
        String partition = group.isEmpty() ? "tenant" : String.join(", ", group);
        String cols = group.isEmpty() ? "" : String.join(", ", group) + ", ";
        return "SELECT " + cols + "MIN(CASE WHEN rn * 2 >= n THEN v END), MIN(CASE WHEN rn * 10 >= n * 9 THEN v END)"
                + " FROM (SELECT " + cols + col + " AS v, ROW_NUMBER() OVER (PARTITION BY " + partition + " ORDER BY "
                + col + ") AS rn, COUNT(*) OVER (PARTITION BY " + partition + ") AS n FROM " + table
                + " WHERE tenant = ? AND opened_day >= ? AND opened_day < ? AND " + col + " IS NOT NULL) q"
                + (group.isEmpty() ? "" : " GROUP BY " + String.join(", ", group));
    }
}
