package dev.switchboard.inbox.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * MariaDB 10.6+ and MySQL 8 (InnoDB, {@code utf8mb4}). Differences from PostgreSQL:
 * <ul>
 *   <li>Every transaction runs at READ COMMITTED, not InnoDB's default REPEATABLE READ: the store is written for
 *       statement-level snapshots (as on PostgreSQL), and at REPEATABLE READ InnoDB takes next-key (gap) locks on every
 *       range it locks or scans for a locking read, so an outbox claim ({@code FOR UPDATE SKIP LOCKED} over the due
 *       range) would block other nodes' enqueues into that range and the group-committed ingest's inserts would
 *       deadlock far more often. READ COMMITTED needs {@code binlog_format=ROW} or {@code MIXED} where the binary log
 *       is on.</li>
 *   <li>Timestamps are {@code DATETIME(6)} holding UTC, bound and read as local date-times in UTC so neither the
 *       driver nor the session time zone shifts them; instants are truncated to microseconds, as stored.</li>
 *   <li>Upserts are {@code ON DUPLICATE KEY UPDATE}. Unlike PostgreSQL's {@code ON CONFLICT (keys)} it fires on any
 *       unique key, so the store upserts only rows it knows by primary key.</li>
 *   <li>A failed statement rolls back only itself, so insert-if-absent is a plain insert whose duplicate-key failure
 *       (error 1062) the caller ignores; {@code INSERT IGNORE} would also swallow truncation and other errors.</li>
 *   <li>No arrays: bulk key lookups bind their keys as {@code IN} lists.</li>
 *   <li>Leases are named session locks ({@code GET_LOCK}), freed by the server when the holding session ends, like
 *       PostgreSQL's advisory locks.</li>
 * </ul>
 */
final class MariaDbDialect implements Dialect {
    static final MariaDbDialect INSTANCE = new MariaDbDialect();

    /** ER_DUP_ENTRY, ER_DUP_ENTRY_WITH_KEY_NAME, ER_DUP_KEY. */
    private static final Set<Integer> DUPLICATE_KEY = Set.of(1062, 1586, 1022);
    /** ER_LOCK_WAIT_TIMEOUT, ER_LOCK_DEADLOCK, ER_CHECKREAD (snapshot conflict), ER_CONNECTION_KILLED, server gone. */
    private static final Set<Integer> TRANSIENT = Set.of(1205, 1213, 1020, 1927, 2006, 2013);

    private MariaDbDialect() {}

    @Override
    public String migrationFolder() {
        return "mariadb";
    }

    @Override
    public void beginTransaction(Connection connection) throws SQLException {
        if (connection.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }

    /** With {@code useBulkStmts=true} on the URL, MariaDB's driver answers a batch without per-row counts. */
    @Override
    public boolean batchCountsMayBeUnknown() {
        return true;
    }

    @Override
    public boolean errorAbortsTransaction() {
        return false;
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return DUPLICATE_KEY.contains(e.getErrorCode())
                || (e.getErrorCode() == 0 && SqlStates.UNIQUE_VIOLATION.equals(e.getSQLState()));
    }

    @Override
    public boolean isTransient(SQLException e) {
        return Dialect.super.isTransient(e) || TRANSIENT.contains(e.getErrorCode());
    }

    @Override
    public String tablePrefix(String schema) {
        return "`" + schema + "`.";
    }

    /** MariaDB/MySQL spell the null-safe comparison {@code <=>}. */
    @Override
    public String nullSafeEquals(String column) {
        return column + " <=> ?";
    }

    @Override
    public void bindInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setObject(index, LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }

    @Override
    public Instant readInstant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    @Override
    public PreparedStatement prepareInsertReturningId(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    }

    @Override
    public boolean percentilesOnlyAsWindow() {
        return true;
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> keys) {
        String updates = Dialect.nonKeyAssignments(columns, keys, "%s = VALUES(%s)");
        return Dialect.insert(table, columns) + " ON DUPLICATE KEY UPDATE "
                + (updates.isEmpty() ? keys.get(0) + " = " + keys.get(0) : updates);
    }

    /** MariaDB and MySQL reject {@code LIMIT} inside {@code IN (subquery)}, but delete in order with a limit. */
    @Override
    public String pruneProcessed(String processedTable) {
        return "DELETE FROM " + processedTable + " WHERE processed_at < ? ORDER BY processed_at LIMIT ?";
    }

    @Override
    public String pruneExpiredState(String stateTable) {
        return "DELETE FROM " + stateTable + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ?";
    }

    @Override
    public BoundQuery perKey(KeyLookup lookup, List<String> keys, Object... fixedArgs) {
        List<Object> args = new ArrayList<>(List.of(fixedArgs));
        String keyMatch;
        if (keys.isEmpty()) {
            keyMatch = "1 = 0";
        } else {
            String in = " IN (" + Dialect.placeholders(keys.size()) + ")";
            keyMatch = lookup.keyColumns().stream().map(c -> c + in).collect(Collectors.joining(" OR "));
            for (int i = 0; i < lookup.keyColumns().size(); i++) {
                args.addAll(keys);
            }
        }
        String sql = "SELECT " + lookup.columns() + " FROM " + lookup.table() + " " + lookup.leftJoin() + " WHERE "
                + lookup.fixedCondition() + " AND (" + keyMatch + ")"
                + (lookup.orderBy().isEmpty() ? "" : " ORDER BY " + lookup.orderBy());
        return new BoundQuery(sql, args.toArray());
    }

    /**
     * Named locks are server-wide, not per database: their names carry the store's schema, or else the connection's
     * current database, so stores in two databases never take each other's leases.
     */
    @Override
    public JdbcInboxStore.Leases leases(DataSource dataSource, String tablePrefix, Optional<String> scope, Clock clock,
                                        Duration ttl) {
        String resolved = scope.orElseGet(() -> currentDatabase(dataSource));
        return new SessionLockLeases(dataSource, resolved, SessionLockLeases.NAMED_LOCKS);
    }

    private static String currentDatabase(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            rs.next();
            return Optional.ofNullable(rs.getString(1)).orElse("");
        } catch (SQLException e) {
            throw new JdbcStoreException("cannot read the current database", e);
        }
    }
}
