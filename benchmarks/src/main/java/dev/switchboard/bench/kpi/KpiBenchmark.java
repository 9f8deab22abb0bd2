package dev.switchboard.bench.kpi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.kpi.KpiDimension;
import dev.switchboard.inbox.kpi.KpiQuery;
import dev.switchboard.inbox.kpi.KpiRow;
import dev.switchboard.inbox.kpi.KpiSummary;
import dev.switchboard.inbox.kpi.Kpis;
import dev.switchboard.model.TenantId;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The KPI summary at scale on PostgreSQL: {@code conversations} conversations (one cycle each, every tenth reopened
 * once, so 1.1 cycles per conversation) over a year in eleven tenants (70 % in tenant {@code big}, 200 agents) and
 * {@code events} feed events, bulk-loaded by server-side {@code INSERT ... SELECT FROM generate_series} (the load is
 * not what is measured: facts are synthetic rows of the shape the projector writes, and the projection checkpoint is
 * set to the end of the feed). Then, alternately, {@code Kpis.summary} for tenant {@code big}'s March grouped by agent
 * (its projection catch-up, the total and the grouped aggregate) and the floor: one hand-written
 * {@code GROUP BY agent} over the same rows (count, mean, median and p90 of first response and resolution), and the
 * summary's own figures written by hand (the facts' aggregates and the next-response waits', {@code sb_kpi_wait}: one
 * row per next response, 0 to 2 per cycle). Before
 * reporting, the summary is checked against the floor (the same rows, the same medians per agent). Prints the
 * storage the KPI tables add per conversation ({@code pg_total_relation_size}).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.kpi.KpiBenchmark
 * [conversations=1000000] [events=10000000] [rounds=20] [jdbcUrl=jdbc:postgresql://127.0.0.1:5432/switchboard_test]
 * [user=postgres]}
 */
public final class KpiBenchmark {
    private static final TenantId BIG = TenantId.of("big");
    private static final LocalDate MARCH = LocalDate.of(2026, 3, 1);
    private static final LocalDate APRIL = LocalDate.of(2026, 4, 1);

    private KpiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long conversations = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        long events = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        String url = args.length > 3 ? args[3] : "jdbc:postgresql://127.0.0.1:5432/switchboard_test";
        String user = args.length > 4 ? args[4] : "postgres";
        String schema = "bench_kpi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        System.out.println("load before: " + load());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMaximumPoolSize(4);
        try (HikariDataSource pool = new HikariDataSource(config);
             JdbcInboxStore store = JdbcInboxStore.builder().dataSource(pool).schema(schema).build()) {
            String p = "\"" + schema + "\".";
            long t0 = System.nanoTime();
            loadFacts(pool, p, conversations);
            long t1 = System.nanoTime();
            loadEvents(pool, p, events, conversations);
            long t2 = System.nanoTime();
            System.out.printf("loaded %,d conversations (%,d cycles) in %.1f s and %,d events in %.1f s%n",
                    conversations, count(pool, "SELECT COUNT(*) FROM " + p + "sb_kpi_fact"), (t1 - t0) / 1e9,
                    events, (t2 - t1) / 1e9);
            try (Inbox inbox = Inbox.builder().store(store).nodeId("bench").build()) {
                measure(pool, p, inbox.kpis(BIG), rounds);
            }
            long bytes = count(pool, "SELECT pg_total_relation_size('" + p + "sb_kpi_fact') + pg_total_relation_size('"
                    + p + "sb_kpi_wait') + pg_total_relation_size('" + p + "sb_kpi_checkpoint')");
            long eventBytes = count(pool, "SELECT pg_total_relation_size('" + p + "sb_event')");
            System.out.printf("storage: KPI tables %,d bytes = %.0f bytes per conversation (the event feed: %.0f)%n",
                    bytes, (double) bytes / conversations, (double) eventBytes / conversations);
        } finally {
            try (HikariDataSource admin = new HikariDataSource(config); Connection c = admin.getConnection();
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
        }
        System.out.println("load after: " + load());
    }

    private static void loadFacts(HikariDataSource pool, String p, long n) throws SQLException {
        String opened = "timestamptz '2026-01-01 00:00:00+00' + make_interval(secs => (i::float8 / " + n
                + ") * 31536000)";
        String select = "SELECT CASE WHEN i % 10 < 7 THEN 'big' ELSE 't' || (i % 10) END, 'c' || i, {cycle},"
                + " 'u' || i, (ARRAY['tg','mail','vk','viber','web'])[1 + i % 5],"
                + " (ARRAY['telegram','email','vk','viber','webchat'])[1 + i % 5], 'agent-' || ((i * 7919) % 200),"
                + " CASE WHEN i % 3 = 0 THEN 'sales' ELSE '' END,"
                + " (ARRAY['LOW','NORMAL','HIGH','URGENT'])[1 + (i / 7) % 4],"
                + " CASE WHEN i % 20 < 17 THEN 'RESOLVED' ELSE 'OPEN' END, t,"
                + " to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD'),"
                + " to_char(date_trunc('week', t AT TIME ZONE 'UTC'), 'YYYY-MM-DD'),"
                + " to_char(date_trunc('month', t AT TIME ZONE 'UTC'), 'YYYY-MM-DD'), t, NULL,"
                + " CASE WHEN i % 20 <> 19 THEN t + make_interval(secs => ((i * 104729) % 3600000) / 1000.0) END,"
                + " CASE WHEN i % 20 <> 19 THEN (i * 104729) % 3600000 END,"
                + " CASE WHEN i % 20 <> 19 THEN ((i * 104729) % 3600000) * 3 / 5 END,"
                + " CASE WHEN i % 20 < 17 THEN t + make_interval(secs => ((i * 15485863) % 86400000) / 1000.0) END,"
                + " CASE WHEN i % 20 < 17 THEN (i * 15485863) % 86400000 END,"
                + " CASE WHEN i % 20 < 17 THEN ((i * 15485863) % 86400000) / 3 END,"
                + " 1 + i % 5, i % 4, i % 3, (i % 3) * 600000, (i % 3) * 300000,"
                + " CASE WHEN i % 5 = 0 THEN 1 + (i / 5) % 5 END, CASE WHEN i % 10 < 3 THEN 1 ELSE 0 END,"
                + " CASE WHEN i % 50 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 25 = 0 THEN 1 ELSE 0 END, 0, 0, 'standard',"
                + " 1, 1"
                + " FROM (SELECT i::bigint AS i, {opened} AS t FROM generate_series(1, " + n + ") AS g(i)) g";
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + p + "sb_kpi_fact " + select.replace("{cycle}", "1").replace("{opened}", opened));
            // every tenth conversation was reopened an hour after it opened: a second cycle
            s.execute("INSERT INTO " + p + "sb_kpi_fact " + select.replace("{cycle}", "2")
                    .replace("{opened}", opened + " + interval '1 hour'")
                    + " WHERE i % 10 = 3");
            s.execute("ANALYZE " + p + "sb_kpi_fact");
            // one sb_kpi_wait row per next response of a cycle (0 to 2), with the cycle's keys, as the projector
            s.execute("INSERT INTO " + p + "sb_kpi_wait (tenant, conversation_id, cycle_no, wait_no, waiting_since,"
                    + " answered_at, wait_ms, wait_bus_ms, channel, channel_type, agent, team, priority, sla_policy,"
                    + " opened_day, opened_week, opened_month) SELECT f.tenant, f.conversation_id, f.cycle_no, w.n,"
                    + " f.opened_at + make_interval(mins => 20 * w.n), f.opened_at + make_interval(mins => 20 * w.n)"
                    + " + make_interval(secs => (f.next_response_ms / f.next_responses + w.n * 1000) / 1000.0),"
                    + " f.next_response_ms / f.next_responses + w.n * 1000,"
                    + " f.next_response_bus_ms / f.next_responses + w.n * 500, f.channel, f.channel_type, f.agent,"
                    + " f.team, f.priority, f.sla_policy, f.opened_day, f.opened_week, f.opened_month FROM " + p
                    + "sb_kpi_fact f JOIN generate_series(1, 2) AS w(n) ON w.n <= f.next_responses");
            s.execute("ANALYZE " + p + "sb_kpi_wait");
        }
    }

    private static void loadEvents(HikariDataSource pool, String p, long events, long conversations)
            throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + p + "sb_event (seq, tenant, type, conversation_id, message_id, customer_id,"
                    + " attributes, occurred_at) SELECT e, CASE WHEN k % 10 < 7 THEN 'big' ELSE 't' || (k % 10) END,"
                    + " (ARRAY['CONVERSATION_OPENED','MESSAGE_RECEIVED','CONVERSATION_UPDATED','REPLY_QUEUED',"
                    + "'DELIVERY_STATUS_CHANGED','DELIVERY_STATUS_CHANGED','MESSAGE_RECEIVED','REPLY_QUEUED',"
                    + "'DELIVERY_STATUS_CHANGED','CONVERSATION_RESOLVED'])[1 + e % 10], 'c' || k,"
                    + " CASE WHEN e % 10 IN (1, 3, 6, 7) THEN 'm' || e END, 'u' || k,"
                    + " '{\"channel\":\"tg\",\"channelType\":\"telegram\"}',"
                    + " timestamptz '2026-01-01 00:00:00+00' + make_interval(secs => (e::float8 / " + events
                    + ") * 31536000) FROM (SELECT e, 1 + (e - 1) * " + conversations + " / " + events
                    + " AS k FROM generate_series(1::bigint, " + events + ") AS g(e)) x");
            s.execute("UPDATE " + p + "sb_event_counter SET seq = " + events);
            s.execute("UPDATE " + p + "sb_kpi_checkpoint SET seq = " + events);
            s.execute("ANALYZE " + p + "sb_event");
        }
    }

    private static final String FLOOR = "SELECT agent, COUNT(*), AVG(first_response_ms),"
            + " PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY first_response_ms),"
            + " PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY first_response_ms), AVG(resolution_ms),"
            + " PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY resolution_ms),"
            + " PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY resolution_ms)"
            + " FROM %ssb_kpi_fact WHERE tenant = ? AND opened_day >= ? AND opened_day < ? GROUP BY agent";

    /** The summary's figures written by hand: the same 25 aggregates of the facts, the total in the same pass. */
    private static final String SAME_FIGURES = "SELECT agent, COUNT(*), SUM(CASE WHEN cycle_no > 1 THEN 1 ELSE 0 END),"
            + " SUM(messages_in), SUM(messages_out), SUM(CASE WHEN outcome = 'RESOLVED' THEN 1 ELSE 0 END),"
            + " SUM(CASE WHEN outcome = 'FOLDED' THEN 1 ELSE 0 END), COUNT(first_response_ms), SUM(first_response_ms),"
            + " PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY first_response_ms),"
            + " PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY first_response_ms), MAX(first_response_ms),"
            + " COUNT(resolution_ms), SUM(resolution_ms), PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY resolution_ms),"
            + " PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY resolution_ms), MAX(resolution_ms),"
            + " SUM(complaint), COUNT(rating), SUM(rating), SUM(surveyed),"
            + " SUM(CASE WHEN surveyed = 1 AND rating IS NOT NULL THEN 1 ELSE 0 END),"
            + " SUM(CASE WHEN fr_sla = 1 AND (first_response_ms IS NOT NULL OR outcome = 'RESOLVED'"
            + " OR fr_breached = 1) THEN 1 ELSE 0 END), SUM(CASE WHEN fr_sla = 1 AND fr_breached = 1 THEN 1 ELSE 0 END),"
            + " SUM(CASE WHEN res_sla = 1 AND (outcome = 'RESOLVED' OR res_breached = 1) THEN 1 ELSE 0 END),"
            + " SUM(CASE WHEN res_sla = 1 AND res_breached = 1 THEN 1 ELSE 0 END)"
            + " FROM %ssb_kpi_fact WHERE tenant = ? AND opened_day >= ? AND opened_day < ?"
            + " GROUP BY GROUPING SETS ((agent), ())";

    /** The summary's next-response figures written by hand: the waits' aggregates, the total in the same pass. */
    private static final String SAME_WAITS = "SELECT agent, COUNT(wait_ms), SUM(wait_ms),"
            + " PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY wait_ms), PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY"
            + " wait_ms), MAX(wait_ms) FROM %ssb_kpi_wait WHERE tenant = ? AND opened_day >= ? AND opened_day < ?"
            + " GROUP BY GROUPING SETS ((agent), ())";

    private static void measure(HikariDataSource pool, String p, Kpis kpis, int rounds) throws SQLException {
        KpiQuery query = KpiQuery.builder(MARCH, APRIL).groupBy(KpiDimension.AGENT).build();
        long[] summary = new long[rounds];
        long[] floor = new long[rounds];
        long[] same = new long[rounds];
        KpiSummary last = null;
        Map<String, long[]> floorRows = null;
        for (int i = -3; i < rounds; i++) { // three warm-up rounds
            long s0 = System.nanoTime();
            last = kpis.summary(query);
            long s1 = System.nanoTime();
            floorRows = floor(pool, p, FLOOR);
            long s2 = System.nanoTime();
            floor(pool, p, SAME_FIGURES);
            floor(pool, p, SAME_WAITS);
            long s3 = System.nanoTime();
            if (i >= 0) {
                summary[i] = s1 - s0;
                floor[i] = s2 - s1;
                same[i] = s3 - s2;
            }
        }
        long rows = count(pool, "SELECT COUNT(*) FROM " + p + "sb_kpi_fact WHERE tenant = 'big'"
                + " AND opened_day >= '2026-03-01' AND opened_day < '2026-04-01'");
        verify(last, floorRows, rows);
        Arrays.sort(summary);
        Arrays.sort(floor);
        Arrays.sort(same);
        System.out.printf("tenant-month (%,d cycles, %d agents): Kpis.summary p50 %.1f ms, p90 %.1f ms; hand-written"
                        + " GROUP BY p50 %.1f ms, p90 %.1f ms; ratio of medians %.2fx (verified: same rows, same"
                        + " count and medians per agent)%n", rows, last.rows().size(), ms(summary[rounds / 2]),
                ms(summary[rounds * 9 / 10]), ms(floor[rounds / 2]), ms(floor[rounds * 9 / 10]),
                (double) summary[rounds / 2] / floor[rounds / 2]);
        System.out.printf("the summary's figures hand-written (25 aggregates of the facts and 5 of the waits, the total"
                        + " in the same pass, two autocommit queries):"
                        + " p50 %.1f ms, p90 %.1f ms; the summary is %.2fx that%n", ms(same[rounds / 2]),
                ms(same[rounds * 9 / 10]), (double) summary[rounds / 2] / same[rounds / 2]);
    }

    private static Map<String, long[]> floor(HikariDataSource pool, String p, String sql) throws SQLException {
        Map<String, long[]> out = new HashMap<>();
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement(String.format(sql, p))) {
            ps.setString(1, BIG.value());
            ps.setString(2, MARCH.toString());
            ps.setString(3, APRIL.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) { // every row read, whichever query
                    out.put(String.valueOf(rs.getString(1)), new long[] {rs.getLong(2), rs.getLong(4),
                            rs.getMetaData().getColumnCount() >= 7 ? rs.getLong(7) : 0});
                }
            }
        }
        return out;
    }

    private static void verify(KpiSummary summary, Map<String, long[]> floor, long rows) {
        if (summary.total().conversations() != rows) {
            throw new IllegalStateException("summary total " + summary.total().conversations() + " != " + rows);
        }
        if (summary.rows().size() != floor.size()) {
            throw new IllegalStateException(summary.rows().size() + " agents != " + floor.size());
        }
        for (KpiRow row : summary.rows()) {
            long[] f = floor.get(row.group().get(KpiDimension.AGENT));
            if (f == null || f[0] != row.conversations()
                    || f[1] != row.firstResponse().median().orElseThrow().toMillis()
                    || f[2] != row.resolution().median().orElseThrow().toMillis()) {
                throw new IllegalStateException("agent " + row.group() + " differs from the floor");
            }
        }
    }

    private static long count(HikariDataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String load() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
