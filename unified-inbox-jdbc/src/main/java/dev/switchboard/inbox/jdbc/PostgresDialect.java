package dev.switchboard.inbox.jdbc;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * PostgreSQL 13+: {@code ON CONFLICT} upserts, {@code UPDATE ... RETURNING} for the event counter and outbox claiming
 * (with {@code FOR UPDATE SKIP LOCKED}), bulk lookups through {@code UNNEST} of one array parameter, session advisory
 * locks as leases, and a failed statement aborts the transaction.
 */
final class PostgresDialect implements Dialect {
    static final PostgresDialect INSTANCE = new PostgresDialect();
    /** How long a check that found no need for custom plans is trusted before the next one. */
    private static final long PLANS_SETTLED_FOR_NANOS = 1_000_000_000L;

    /**
     * Per set of lookup tables (one schema's), the {@link System#nanoTime()} until which they are known not to need
     * custom plans: then a group's lookups run without any planner statement.
     */
    private final Map<List<String>, Long> plansSettledUntil = new ConcurrentHashMap<>();

    private PostgresDialect() {}

    @Override
    public String migrationFolder() {
        return "postgresql";
    }

    @Override
    public boolean errorAbortsTransaction() {
        return true;
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return SqlStates.UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> keys) {
        String updates = Dialect.nonKeyAssignments(columns, keys, "%s = EXCLUDED.%s");
        return Dialect.insert(table, columns) + " ON CONFLICT (" + String.join(", ", keys) + ") "
                + (updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + updates);
    }

    @Override
    public String insertIfAbsent(String table, List<String> columns) {
        return Dialect.insert(table, columns) + " ON CONFLICT DO NOTHING";
    }

    @Override
    public long advanceCounter(JdbcStatements jdbc, String counterTable, int n) {
        return jdbc.queryOne("UPDATE " + counterTable + " SET seq = seq + ? WHERE id = 1 RETURNING seq",
                rs -> rs.getLong(1), n).orElseThrow(
                        () -> new IllegalStateException("event counter row missing; was the schema migrated?"));
    }

    /** One statement: the due ids locked with {@code SKIP LOCKED}, updated and returned. */
    @Override
    public <T> List<T> claimOutbox(JdbcStatements jdbc, String outboxTable, String columns,
                                   JdbcStatements.RowMapper<T> mapper, Instant now, int limit, String owner,
                                   Instant leaseUntil) {
        return jdbc.queryList("UPDATE " + outboxTable + " SET lease_owner = ?, lease_until = ?, updated_at = ?"
                + " WHERE id IN (" + Dialect.dueOutboxIds(outboxTable) + " FOR UPDATE SKIP LOCKED) RETURNING " + columns,
                mapper, owner, leaseUntil, now, now, now, limit);
    }

    /**
     * The lookup runs once per key as a LATERAL subquery that cannot be flattened ({@code OFFSET 0}), so it is an
     * index lookup per key even on a young table without statistics, where a plain join or {@code IN} list gets
     * planned as a scan of the tenant's whole channel. The keys are one array parameter, bound first.
     */
    @Override
    public BoundQuery perKey(KeyLookup lookup, List<String> keys, Object... fixedArgs) {
        String keyMatch = lookup.keyColumns().stream().map(c -> c + " = k.v").collect(Collectors.joining(" OR "));
        String sql = "SELECT x.* FROM UNNEST(?) AS k(v) CROSS JOIN LATERAL (SELECT " + lookup.columns() + " FROM "
                + lookup.table() + " " + lookup.leftJoin() + " WHERE " + lookup.fixedCondition() + " AND (" + keyMatch
                + ") OFFSET 0) x" + (lookup.orderBy().isEmpty() ? "" : " ORDER BY x." + lookup.orderBy());
        List<Object> args = new ArrayList<>();
        args.add(new JdbcStatements.SqlArray(keys));
        args.addAll(List.of(fixedArgs));
        return new BoundQuery(sql, args.toArray());
    }

    /**
     * PostgreSQL keeps a generic plan for a prepared statement once it looks no worse than the first custom ones, and
     * only replans after ANALYZE (or VACUUM) records the table's new size: a plan made while the tables were young (a
     * sequential scan of a few pages) stays in use as they grow, until autovacuum's first ANALYZE, a minute or more
     * later. Planning these few lookups for their actual arrays each time costs less than one such scan, but in a
     * steady state it is about a quarter of their database time. So custom plans are forced only while a table they
     * read may be used with a plan made for a much smaller one: it has more than 8 pages and more than twice the pages
     * its statistics last recorded, and those recorded fewer than 16 pages (a plan made for 8 pages or more already
     * looks each key up in the index, and stays right as the table grows). One statement checks that and sets the
     * mode ({@code SET LOCAL}); when it forced custom plans, the mode is reset to {@code auto} after the lookups, so
     * the batched inserts that follow keep their cached plans. A check that found nothing to force is trusted for a
     * second (tables do not double in a second once they have 8 pages), so a steady stream of groups runs their
     * lookups with no planner statement at all.
     */
    @Override
    public void withBulkLookupPlans(JdbcStatements jdbc, List<String> tables, Runnable lookups) {
        Long settledUntil = plansSettledUntil.get(tables);
        if (settledUntil != null && System.nanoTime() - settledUntil < 0) {
            lookups.run();
            return;
        }
        boolean forced = forceCustomPlansWhileYoung(jdbc, tables);
        if (forced) {
            plansSettledUntil.remove(tables);
        } else {
            plansSettledUntil.put(tables, System.nanoTime() + PLANS_SETTLED_FOR_NANOS);
        }
        lookups.run();
        if (forced) {
            jdbc.update("SET LOCAL plan_cache_mode = auto");
        }
    }

    /**
     * Sets {@code plan_cache_mode} for the rest of the transaction ({@code SET LOCAL}): {@code force_custom_plan} when
     * one of {@code tables} is missing, or has more than 8 pages and more than twice the pages its statistics last
     * recorded while those recorded fewer than 16; else {@code auto}. Returns whether it forced custom plans.
     */
    static boolean forceCustomPlansWhileYoung(JdbcStatements jdbc, List<String> tables) {
        String names = tables.stream().map(t -> "to_regclass('" + t.replace("'", "''") + "')")
                .collect(Collectors.joining(", "));
        return jdbc.queryOne("SELECT set_config('plan_cache_mode', CASE WHEN COUNT(*) = " + tables.size()
                + " AND bool_and(c.relpages >= 16 OR pg_relation_size(c.oid) <= 8192 * GREATEST(8, 2 * c.relpages))"
                + " THEN 'auto' ELSE 'force_custom_plan' END, true) FROM pg_class c WHERE c.oid IN (" + names + ")",
                rs -> rs.getString(1)).map(mode -> !mode.equals("auto")).orElse(true);
    }

    @Override
    public JdbcInboxStore.Leases leases(DataSource dataSource, String tablePrefix, Optional<String> scope, Clock clock,
                                        Duration ttl) {
        return new SessionLockLeases(dataSource, scope.orElse(""), SessionLockLeases.POSTGRES_ADVISORY_LOCKS);
    }

    @Override
    public boolean kpiGroupingSets() {
        return true;
    }
}
