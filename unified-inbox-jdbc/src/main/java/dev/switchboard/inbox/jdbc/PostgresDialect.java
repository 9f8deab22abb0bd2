package dev.switchboard.inbox.jdbc;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * PostgreSQL 13+: {@code ON CONFLICT} upserts, {@code UPDATE ... RETURNING} for the event counter and outbox claiming
 * (with {@code FOR UPDATE SKIP LOCKED}), bulk lookups through {@code UNNEST} of one array parameter, session advisory
 * locks as leases, and a failed statement aborts the transaction.
 */
final class PostgresDialect implements Dialect {
    static final PostgresDialect INSTANCE = new PostgresDialect();

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
     * only replans after ANALYZE: a plan made while the tables were young (a sequential scan of a few pages) stays in
     * use as they grow, until autovacuum's first ANALYZE, a minute or more later. Planning these few lookups for their
     * actual arrays each time costs less than one such scan; the batched inserts that follow keep their cached plans.
     */
    @Override
    public void withBulkLookupPlans(JdbcStatements jdbc, Runnable lookups) {
        jdbc.update("SET LOCAL plan_cache_mode = force_custom_plan");
        lookups.run();
        jdbc.update("SET LOCAL plan_cache_mode = auto");
    }

    @Override
    public JdbcInboxStore.Leases leases(DataSource dataSource, String tablePrefix, Optional<String> scope, Clock clock,
                                        Duration ttl) {
        return new SessionLockLeases(dataSource, scope.orElse(""), SessionLockLeases.POSTGRES_ADVISORY_LOCKS);
    }
}
