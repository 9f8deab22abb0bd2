package dev.switchboard.inbox.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Everything the supported databases disagree on, one implementation per database ({@link PostgresDialect},
 * {@link MariaDbDialect}, {@link H2Dialect}): identifier quoting, how instants are bound and read, upserts and
 * insert-if-absent, the event counter, outbox claiming, bulk key lookups and their plan hints, pruning, leases,
 * isolation, and how the database reports a lost race. The store code above it holds no database names; a new
 * database is a new implementation of this interface plus its migration scripts under
 * {@code db/switchboard/<migrationFolder>}.
 */
interface Dialect {

    /** The dialect for the database behind {@code connection}, from its product name. */
    static Dialect detect(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        return forProduct(product).orElseThrow(() -> new IllegalArgumentException("unsupported database '" + product
                + "': JdbcInboxStore supports PostgreSQL, MariaDB, MySQL and H2 (or name one with Builder.database)"));
    }

    /** The dialect for a {@link java.sql.DatabaseMetaData#getDatabaseProductName() product name}, if supported. */
    static Optional<Dialect> forProduct(String product) {
        String p = product.toLowerCase(Locale.ROOT);
        if (p.contains("postgresql")) {
            return Optional.of(PostgresDialect.INSTANCE);
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return Optional.of(MariaDbDialect.INSTANCE);
        }
        if (p.equals("h2")) {
            return Optional.of(H2Dialect.INSTANCE);
        }
        return Optional.empty();
    }

    /** The name {@link JdbcInboxStore#databaseKind()} reports, also the folder under {@code db/switchboard/}. */
    String migrationFolder();

    // ---- connections and errors ---------------------------------------------------------------------------------

    /** Prepares a borrowed connection for one store transaction (autocommit is already off). */
    default void beginTransaction(Connection connection) throws SQLException {
    }

    /**
     * Whether a failed statement aborts the whole transaction (PostgreSQL: every later statement fails until
     * rollback) rather than only itself (H2, MariaDB).
     */
    boolean errorAbortsTransaction();

    /**
     * Whether the driver may answer a batch's update counts with {@code SUCCESS_NO_INFO} (depending on URL options
     * the store does not control), so a batch whose counts matter runs inside a savepoint it can undo. False by
     * default: the driver reports every row's count.
     */
    default boolean batchCountsMayBeUnknown() {
        return false;
    }

    /** Whether {@code e} reports a duplicate primary or unique key. */
    boolean isUniqueViolation(SQLException e);

    /**
     * Failures of the database rather than of the statement's data, worth running the transaction again for:
     * connection exceptions (class 08), transaction rollbacks (40: serialization failures, deadlocks), insufficient
     * resources (53), operator intervention such as shutdown or cancelled statements (57), and whatever else this
     * database reports for lock timeouts.
     */
    default boolean isTransient(SQLException e) {
        return SqlStates.isTransient(e.getSQLState());
    }

    // ---- names and values ---------------------------------------------------------------------------------------

    /** How table names are qualified with a schema: {@code "schema".} or {@code `schema`.}. */
    default String tablePrefix(String schema) {
        return "\"" + schema + "\".";
    }

    /** Binds an instant (every timestamp column holds UTC). */
    default void bindInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setObject(index, java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC));
    }

    /** Reads a timestamp column as an instant, or null. */
    default Instant readInstant(ResultSet rs, int column) throws SQLException {
        java.time.OffsetDateTime value = rs.getObject(column, java.time.OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Prepares an insert whose generated {@code id} column is read back with {@code getGeneratedKeys()}. */
    default PreparedStatement prepareInsertReturningId(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(sql, new String[] {"id"});
    }

    // ---- statements ---------------------------------------------------------------------------------------------

    /** Insert-or-replace keyed by {@code keys}; {@code columns} lists every written column, keys included. */
    String upsert(String table, List<String> columns, List<String> keys);

    /**
     * An insert that does nothing when a row with the same unique key exists: it reports 0 rows, or fails with a
     * {@link #isUniqueViolation unique violation} that leaves the transaction usable (only where
     * {@link #errorAbortsTransaction()} is false).
     */
    default String insertIfAbsent(String table, List<String> columns) {
        return insert(table, columns);
    }

    /** A plain insert of one row. */
    static String insert(String table, List<String> columns) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + placeholders(columns.size())
                + ")";
    }

    static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /**
     * Moves the event counter on by {@code n} and returns its new value. The counter row stays locked until the
     * transaction ends, so sequence numbers become visible strictly in order. This default runs an update and reads
     * the row back.
     */
    default long advanceCounter(JdbcStatements jdbc, String counterTable, int n) {
        jdbc.update("UPDATE " + counterTable + " SET seq = seq + ? WHERE id = 1", n);
        return jdbc.queryOne("SELECT seq FROM " + counterTable + " WHERE id = 1", rs -> rs.getLong(1))
                .orElseThrow(() -> new IllegalStateException("event counter row missing; was the schema migrated?"));
    }

    /**
     * Leases the due outbox rows to {@code owner} and returns them (in any order). Rows another transaction is
     * claiming are skipped, not waited for. This default locks the due ids with {@code FOR UPDATE SKIP LOCKED}, updates
     * them in one batch and reads them back.
     */
    default <T> List<T> claimOutbox(JdbcStatements jdbc, String outboxTable, String columns,
                                    JdbcStatements.RowMapper<T> mapper, Instant now, int limit, String owner,
                                    Instant leaseUntil) {
        List<String> ids = jdbc.queryList(dueOutboxIds(outboxTable) + " FOR UPDATE SKIP LOCKED",
                rs -> rs.getString(1), now, now, limit);
        if (ids.isEmpty()) {
            return List.of();
        }
        jdbc.batch("UPDATE " + outboxTable + " SET lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?",
                ids.stream().map(id -> new Object[] {owner, leaseUntil, now, id}).collect(Collectors.toList()));
        return jdbc.queryList("SELECT " + columns + " FROM " + outboxTable + " WHERE id IN ("
                + placeholders(ids.size()) + ")", mapper, ids.toArray());
    }

    /** {@code column} equal to one bound value, both possibly NULL (NULL equals NULL). */
    default String nullSafeEquals(String column) {
        return column + " IS NOT DISTINCT FROM ?";
    }

    /**
     * The due-SLA-deadline query {@code select} with the row locks of the timer's claim. This default appends
     * {@code FOR UPDATE}: a node racing for the same rows waits for the holder's commit and then finds them moved on
     * (the conditional update decides who publishes; the wait means that when a node's claim returns, everything due
     * has been published by someone). Databases whose locking reads need another form override it.
     */
    /**
     * Whether KPI percentiles are computed in a query of their own (row numbers in windows) because the ordered-set
     * {@code PERCENTILE_DISC} aggregate is missing (MariaDB) or not the standard's (H2); PostgreSQL has it.
     */
    default boolean percentilesOnlyAsWindow() {
        return false;
    }

    /** Whether {@code GROUP BY GROUPING SETS} works with the KPI aggregates, so totals and groups take one pass. */
    default boolean kpiGroupingSets() {
        return false;
    }

    default String lockDueSlaDeadlines(String select) {
        return select + " FOR UPDATE";
    }

    /** Deletes up to {@code limit} processed-event rows older than the cutoff (oldest first); binds cutoff, limit. */
    default String pruneProcessed(String processedTable) {
        String oldest = "SELECT tenant, channel, event_id FROM " + processedTable + " WHERE processed_at < ?"
                + " ORDER BY processed_at LIMIT ?";
        return "DELETE FROM " + processedTable + " WHERE (tenant, channel, event_id) IN (" + oldest + ")";
    }

    /** Deletes up to {@code limit} channel-state records expired at a given instant; binds now, limit. */
    default String pruneExpiredState(String stateTable) {
        String expired = "SELECT tenant, channel, state_key FROM " + stateTable + " WHERE expires_at <= ?"
                + " ORDER BY expires_at LIMIT ?";
        return "DELETE FROM " + stateTable + " WHERE (tenant, channel, state_key) IN (" + expired + ")";
    }

    /**
     * A query for the rows matching any of {@code keys} in one statement; see {@link KeyLookup}. The returned
     * arguments are bound in order.
     */
    BoundQuery perKey(KeyLookup lookup, List<String> keys, Object... fixedArgs);

    /**
     * Runs {@code lookups} (the bulk reads of a group of inbound events, which read {@code tables}) under whatever
     * planner setting makes them index lookups on young tables. This default just runs them.
     */
    default void withBulkLookupPlans(JdbcStatements jdbc, List<String> tables, Runnable lookups) {
        lookups.run();
    }

    // ---- leases -------------------------------------------------------------------------------------------------

    /**
     * The lease implementation on this database; {@code scope} is the store's schema (empty for the connection's
     * default), {@code clock} and {@code ttl} serve databases that keep leases as rows with an expiry.
     */
    JdbcInboxStore.Leases leases(DataSource dataSource, String tablePrefix, Optional<String> scope, Clock clock,
                                 Duration ttl);

    /**
     * A bulk lookup: rows of {@code table} (aliased, optionally {@code leftJoin}ed) where {@code fixedCondition} holds
     * (its parameters bound first) and one of {@code keyColumns} equals one of the keys, optionally ordered.
     */
    record KeyLookup(String columns, String table, String leftJoin, String fixedCondition, List<String> keyColumns,
                     String orderBy) {
    }

    /** A statement with its arguments. */
    record BoundQuery(String sql, Object[] args) {
    }

    /** The ids of due, unleased outbox rows in claiming order; binds now, now, limit. */
    static String dueOutboxIds(String outboxTable) {
        return "SELECT id FROM " + outboxTable + " WHERE status = 'PENDING' AND next_attempt_at <= ?"
                + " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at, created_at, id LIMIT ?";
    }

    /** Upsert helpers shared by the implementations. */
    static String nonKeyAssignments(List<String> columns, List<String> keys, String format) {
        return columns.stream().filter(c -> !keys.contains(c)).map(c -> String.format(format, c, c))
                .collect(Collectors.joining(", "));
    }
}
