package dev.switchboard.inbox.jdbc;

import dev.switchboard.store.DuplicateKeyException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The JDBC plumbing of one store transaction: prepared statements with their arguments bound by type (instants and
 * key arrays through the {@link Dialect}), SQL failures translated ({@link DuplicateKeyException} for a lost
 * uniqueness race, {@link JdbcStoreException} otherwise). Before every statement it runs the transaction's
 * {@code beforeStatement} hook, which writes the ingest writes held back so far ({@link HeldWrites}), so the database
 * never lags what the transaction said.
 */
final class JdbcStatements {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A list of keys bound as one SQL array parameter (where the dialect binds arrays). */
    record SqlArray(List<String> values) {
    }

    private final Connection connection;
    private final Dialect dialect;
    private Runnable beforeStatement = () -> { };
    /** The first uniqueness violation the database raised; on PostgreSQL it aborted the transaction. */
    private DuplicateKeyException poison;

    JdbcStatements(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    Dialect dialect() {
        return dialect;
    }

    void beforeStatement(Runnable hook) {
        this.beforeStatement = hook;
    }

    /** A violation the work may have swallowed but that left the transaction unusable (PostgreSQL). */
    Optional<DuplicateKeyException> poison() {
        return dialect.errorAbortsTransaction() ? Optional.ofNullable(poison) : Optional.empty();
    }

    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
        beforeStatement.run();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw translate("query failed", e);
        }
    }

    <T> List<T> queryList(String sql, RowMapper<T> mapper, Object... args) {
        beforeStatement.run();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw translate("query failed", e);
        }
    }

    <T> List<T> queryList(Dialect.BoundQuery query, RowMapper<T> mapper) {
        return queryList(query.sql(), mapper, query.args());
    }

    int update(String sql, Object... args) {
        try {
            return rawUpdate(sql, args);
        } catch (SQLException e) {
            throw translate("update failed", e);
        }
    }

    /** An update whose failure the caller inspects itself (then passes to {@link #translate}). */
    int rawUpdate(String sql, Object... args) throws SQLException {
        beforeStatement.run();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /** Runs {@code sql} once per row, as one JDBC batch. */
    void batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        beforeStatement.run();
        if (rows.size() == 1) {
            update(sql, rows.get(0));
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw translate("batch update failed", e);
        }
    }

    /**
     * Runs {@code sql} once per row as one JDBC batch and returns each row's update count. Empty when the driver
     * reported a row's count as unknown ({@code SUCCESS_NO_INFO}: MariaDB's driver does with {@code useBulkStmts}
     * on the URL): then nothing of the batch is kept (it is rolled back to a savepoint taken before it, on dialects
     * whose {@link Dialect#batchCountsMayBeUnknown()}) and the caller runs the rows one by one.
     */
    Optional<int[]> batchCounts(String sql, List<Object[]> rows) {
        beforeStatement.run();
        try {
            Savepoint before = dialect.batchCountsMayBeUnknown() ? connection.setSavepoint() : null;
            int[] counts;
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (Object[] row : rows) {
                    bind(ps, row);
                    ps.addBatch();
                }
                counts = ps.executeBatch();
            }
            boolean known = counts.length == rows.size() && Arrays.stream(counts).allMatch(c -> c >= 0);
            if (known) {
                if (before != null) {
                    connection.releaseSavepoint(before);
                }
                return Optional.of(counts);
            }
            if (before == null) {
                throw new IllegalStateException("the JDBC driver reported no update count for some rows of a batch"
                        + " on a database whose dialect relies on them");
            }
            connection.rollback(before);
            return Optional.empty();
        } catch (SQLException e) {
            throw translate("batch update failed", e);
        }
    }

    /** Inserts a row unless one with the same unique key exists; true when this call inserted it. */
    boolean insertIfAbsent(String table, List<String> columns, Object... args) {
        try {
            return rawUpdate(dialect.insertIfAbsent(table, columns), args) == 1;
        } catch (SQLException e) {
            if (isIgnorableDuplicate(e)) {
                return false;
            }
            throw translate("insert failed", e);
        }
    }

    /** A duplicate key that failed only its own statement (H2, MariaDB), so the transaction goes on. */
    boolean isIgnorableDuplicate(SQLException e) {
        return dialect.isUniqueViolation(e) && !dialect.errorAbortsTransaction();
    }

    /** Inserts one row and returns its generated {@code id}. */
    long insertReturningId(String sql, Object... args) {
        beforeStatement.run();
        try (PreparedStatement ps = dialect.prepareInsertReturningId(connection, sql)) {
            bind(ps, args);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw translate("insert failed", e);
        }
    }

    private void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int index = i + 1;
            if (a == null) {
                ps.setNull(index, Types.NULL);
            } else if (a instanceof Instant instant) {
                dialect.bindInstant(ps, index, instant);
            } else if (a instanceof SqlArray keys) {
                ps.setArray(index, ps.getConnection().createArrayOf("varchar", keys.values().toArray()));
            } else if (a instanceof byte[] bytes) {
                ps.setBytes(index, bytes);
            } else if (a instanceof Long l) {
                ps.setLong(index, l);
            } else if (a instanceof Integer n) {
                ps.setInt(index, n);
            } else if (a instanceof Double d) {
                ps.setDouble(index, d);
            } else {
                ps.setString(index, a.toString());
            }
        }
    }

    /** A non-null timestamp column as an instant. */
    Instant instant(ResultSet rs, int column) throws SQLException {
        Instant value = dialect.readInstant(rs, column);
        if (value == null) {
            throw new SQLException("column " + column + " is unexpectedly NULL");
        }
        return value;
    }

    Instant instantOrNull(ResultSet rs, int column) throws SQLException {
        return dialect.readInstant(rs, column);
    }

    RuntimeException translate(String what, SQLException e) {
        SQLException cause = e;
        // Batch failures wrap the statement's own error.
        if (e.getNextException() != null && e.getSQLState() == null) {
            cause = e.getNextException();
        }
        if (dialect.isUniqueViolation(e) || dialect.isUniqueViolation(cause)) {
            DuplicateKeyException duplicate = new DuplicateKeyException(what + ": " + e.getMessage(), e);
            if (poison == null) {
                poison = duplicate;
            }
            return duplicate;
        }
        return new JdbcStoreException(what, e);
    }
}
