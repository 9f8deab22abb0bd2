package dev.switchboard.inbox.jdbc;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * H2 2.x, the embedded zero-setup store: {@code MERGE ... KEY} upserts, a failed statement rolls back only itself (so
 * insert-if-absent is a plain insert whose duplicate-key failure the caller ignores), bulk lookups joined from an
 * {@code UNNEST} of one array parameter (H2 plans the join from the array side by itself), and leases as rows with an
 * expiry ({@link TableLeases}).
 */
final class H2Dialect implements Dialect {
    static final H2Dialect INSTANCE = new H2Dialect();

    private H2Dialect() {}

    @Override
    public String migrationFolder() {
        return "h2";
    }

    @Override
    public boolean errorAbortsTransaction() {
        return false;
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return SqlStates.UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    /** H2 reports generated keys under the upper-case column name. */
    @Override
    public java.sql.PreparedStatement prepareInsertReturningId(java.sql.Connection connection, String sql)
            throws SQLException {
        return connection.prepareStatement(sql, new String[] {"ID"});
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> keys) {
        return "MERGE INTO " + table + " (" + String.join(", ", columns) + ") KEY (" + String.join(", ", keys)
                + ") VALUES (" + Dialect.placeholders(columns.size()) + ")";
    }

    @Override
    public BoundQuery perKey(KeyLookup lookup, List<String> keys, Object... fixedArgs) {
        String keyMatch = lookup.keyColumns().stream().map(c -> c + " = k.v").collect(Collectors.joining(" OR "));
        String sql = "SELECT " + lookup.columns() + " FROM UNNEST(?) AS k(v) JOIN " + lookup.table() + " ON "
                + lookup.fixedCondition() + " AND (" + keyMatch + ") " + lookup.leftJoin()
                + (lookup.orderBy().isEmpty() ? "" : " ORDER BY " + lookup.orderBy());
        List<Object> args = new ArrayList<>();
        args.add(new JdbcStatements.SqlArray(keys));
        args.addAll(List.of(fixedArgs));
        return new BoundQuery(sql, args.toArray());
    }

    @Override
    public JdbcInboxStore.Leases leases(DataSource dataSource, String tablePrefix, Optional<String> scope, Clock clock,
                                        Duration ttl) {
        return new TableLeases(dataSource, tablePrefix, clock, ttl);
    }

    /** H2's ordered-set {@code PERCENTILE_DISC} rounds {@code (n - 1) * p} to the nearest row: not the standard's. */
    @Override
    public boolean percentilesOnlyAsWindow() {
        return true;
    }
}
