package dev.switchboard.bench.inbox;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * One database the ingest benchmark measures, in a fresh schema (MariaDB: database; H2: file) that {@link #close()}
 * drops: its pool, the inbox store on it, and what the raw baseline must write differently there (table prefix,
 * timestamp binding, conversation upsert, event counter).
 */
final class BenchDatabase implements AutoCloseable {
    enum Kind { POSTGRESQL, MARIADB, H2 }

    final Kind kind;
    final String label;
    final DataSource dataSource;
    final String prefix;
    private final String schema;
    private final AutoCloseable pool;
    private final Path h2Dir;

    private BenchDatabase(Kind kind, String label, DataSource dataSource, AutoCloseable pool, String schema,
                          String prefix, Path h2Dir) {
        this.kind = kind;
        this.label = label;
        this.dataSource = StatementCounter.wrap(dataSource, prefix);
        this.pool = pool;
        this.schema = schema;
        this.prefix = prefix;
        this.h2Dir = h2Dir;
    }

    static BenchDatabase postgres(String url, String user) {
        HikariDataSource ds = hikari(url, user, "");
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        return new BenchDatabase(Kind.POSTGRESQL, "PostgreSQL", ds, ds, schema, "\"" + schema + "\".", null);
    }

    static BenchDatabase mariadb(String url, String user, String password) {
        HikariDataSource ds = hikari(url, user, password);
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        return new BenchDatabase(Kind.MARIADB, "MariaDB", ds, ds, schema, "`" + schema + "`.", null);
    }

    /** An H2 file with the URL settings of {@code JdbcInboxStore.h2File} and a pool the benchmark can share. */
    static BenchDatabase h2File() throws java.io.IOException {
        Path dir = Files.createTempDirectory("bench-h2");
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("switchboard")
                + ";MODE=PostgreSQL;LOCK_TIMEOUT=10000;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;RETENTION_TIME=1000", "sa", "");
        pool.setMaxConnections(32);
        return new BenchDatabase(Kind.H2, "H2 file", pool, pool::dispose, null, "", dir);
    }

    private static HikariDataSource hikari(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(16);
        return new HikariDataSource(config);
    }

    /** The name prefix of the database server's processes, for their CPU time; empty for an embedded database. */
    String serverProcess() {
        return switch (kind) {
            case POSTGRESQL -> "postgres";
            case MARIADB -> "mariadbd";
            case H2 -> "";
        };
    }

    JdbcInboxStore newStore(boolean migrate) {
        JdbcInboxStore.Builder b = JdbcInboxStore.builder().dataSource(dataSource).autoMigrate(migrate);
        if (schema != null) {
            b.schema(schema);
        }
        return b.build();
    }

    Object timestamp(Instant at) {
        return kind == Kind.MARIADB ? LocalDateTime.ofInstant(at, ZoneOffset.UTC) : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    String conversationUpsert() {
        String table = prefix + "sb_conversation";
        String columns = "(tenant, id, customer_id, status, assignee, channel, updated_at, body)";
        return switch (kind) {
            case POSTGRESQL -> "INSERT INTO " + table + " " + columns + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT"
                    + " (tenant, id) DO UPDATE SET customer_id = EXCLUDED.customer_id, status = EXCLUDED.status,"
                    + " assignee = EXCLUDED.assignee, channel = EXCLUDED.channel, updated_at = EXCLUDED.updated_at,"
                    + " body = EXCLUDED.body";
            case MARIADB -> "INSERT INTO " + table + " " + columns + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY"
                    + " UPDATE customer_id = VALUES(customer_id), status = VALUES(status), assignee = VALUES(assignee),"
                    + " channel = VALUES(channel), updated_at = VALUES(updated_at), body = VALUES(body)";
            case H2 -> "MERGE INTO " + table + " " + columns + " KEY (tenant, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        };
    }

    /** Moves the event counter on by {@code n} as the store does and returns the new value. */
    long advanceCounter(Connection c, int n) throws SQLException {
        String table = prefix + "sb_event_counter";
        if (kind == Kind.POSTGRESQL) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET seq = seq + ? WHERE id = 1 RETURNING seq")) {
                ps.setInt(1, n);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET seq = seq + ? WHERE id = 1")) {
            ps.setInt(1, n);
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT seq FROM " + table + " WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The transaction setup the store uses on this database. */
    void beginTransaction(Connection c) throws SQLException {
        c.setAutoCommit(false);
        if (kind == Kind.MARIADB) {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Gathers planner statistics as autovacuum would on a database in steady state (PostgreSQL only). */
    void analyze() throws SQLException {
        if (kind != Kind.POSTGRESQL) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '" + schema + "'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                s.execute("ANALYZE " + prefix + table);
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (!Boolean.getBoolean("keepSchema")) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                switch (kind) {
                    case POSTGRESQL -> s.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
                    case MARIADB -> s.execute("DROP DATABASE `" + schema + "`");
                    case H2 -> s.execute("SHUTDOWN");
                }
            }
        }
        pool.close();
        if (h2Dir != null && !Boolean.getBoolean("keepSchema")) {
            try (var files = Files.walk(h2Dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
