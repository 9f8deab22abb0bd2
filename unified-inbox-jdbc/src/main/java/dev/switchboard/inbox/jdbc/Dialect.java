package dev.switchboard.inbox.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The SQL the two supported databases disagree on: upserts, insert-if-absent, the event counter, outbox claiming,
 * and whether a failed statement aborts the whole transaction (PostgreSQL) or only itself (H2).
 */
enum Dialect {
    POSTGRESQL("postgresql", true),
    H2("h2", false);

    /** Folder under {@code db/switchboard/} holding this dialect's migration scripts. */
    final String migrationFolder;
    /** PostgreSQL rejects every statement after an error until rollback; H2 rolls back only the failed statement. */
    final boolean errorAbortsTransaction;

    Dialect(String migrationFolder, boolean errorAbortsTransaction) {
        this.migrationFolder = migrationFolder;
        this.errorAbortsTransaction = errorAbortsTransaction;
    }

    static Dialect detect(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String p = product.toLowerCase(Locale.ROOT);
        if (p.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (p.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("unsupported database '" + product + "': JdbcInboxStore supports "
                + "PostgreSQL and H2");
    }

    /** Insert-or-replace keyed by {@code keys}; {@code columns} lists every written column, keys included. */
    String upsert(String table, List<String> columns, List<String> keys) {
        String cols = String.join(", ", columns);
        String params = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        if (this == H2) {
            return "MERGE INTO " + table + " (" + cols + ") KEY (" + String.join(", ", keys) + ") VALUES (" + params + ")";
        }
        String updates = columns.stream().filter(c -> !keys.contains(c)).map(c -> c + " = EXCLUDED." + c)
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + cols + ") VALUES (" + params + ") ON CONFLICT (" + String.join(", ", keys)
                + ") " + (updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + updates);
    }

    /**
     * An insert that does nothing when a row with the same unique key exists. PostgreSQL reports 0 rows; on H2 the
     * statement fails with 23505, which the caller treats the same (H2 keeps the transaction usable).
     */
    String insertIfAbsent(String table, List<String> columns) {
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        return this == POSTGRESQL ? sql + " ON CONFLICT DO NOTHING" : sql;
    }
}
