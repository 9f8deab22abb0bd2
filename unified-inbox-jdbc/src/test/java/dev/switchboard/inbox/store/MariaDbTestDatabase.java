package dev.switchboard.inbox.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.mariadb.jdbc.MariaDbDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MariaDB server tests run against: {@code jdbc:mariadb://127.0.0.1:3306/switchboard_test}, user {@code root},
 * empty password ({@code .ci/run} creates the database; locally run
 * {@code mariadb -h127.0.0.1 -uroot -e "CREATE DATABASE IF NOT EXISTS switchboard_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"}).
 * Override with env {@code SWITCHBOARD_MARIADB_URL}/{@code SWITCHBOARD_MARIADB_USER}/{@code SWITCHBOARD_MARIADB_PASSWORD}.
 * When the server is unreachable, tests calling {@link #assumeAvailable()} are skipped with a visible message, except
 * under {@code CI=true} where they fail. Each test gets its own database ({@link #newSchema(String)}, a schema is a
 * database on MariaDB) so classes never see each other's rows.
 */
public final class MariaDbTestDatabase {
    private static final Logger log = LoggerFactory.getLogger(MariaDbTestDatabase.class);

    public static final String URL = env("SWITCHBOARD_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/switchboard_test");
    public static final String USER = env("SWITCHBOARD_MARIADB_USER", "root");
    public static final String PASSWORD = env("SWITCHBOARD_MARIADB_PASSWORD", "");

    private static volatile String unavailableReason;
    private static volatile boolean probed;

    private MariaDbTestDatabase() {}

    /** Whether the test server answers (probed once per JVM, 3 second timeout). */
    public static synchronized boolean isAvailable() {
        if (!probed) {
            probed = true;
            try (Connection c = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?")
                    + "connectTimeout=3000", USER, PASSWORD)) {
                c.isValid(3);
            } catch (SQLException e) {
                unavailableReason = e.getMessage();
            }
        }
        return unavailableReason == null;
    }

    /** Skips the calling test when MariaDB is unreachable, or fails it when running in CI. */
    public static void assumeAvailable() {
        if (isAvailable()) {
            return;
        }
        String message = "MariaDB not reachable at " + URL + " (" + unavailableReason + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + ": MariaDB tests are required in CI (CI=true)");
        }
        log.warn("{}: SKIPPING MariaDB tests", message);
        Assumptions.abort(message + ": skipped outside CI");
    }

    /** A small pool (H2's JdbcConnectionPool over the MariaDB driver); call {@code dispose()} when done. */
    public static JdbcConnectionPool pool(int maxConnections) {
        return pool(maxConnections, "");
    }

    /** As {@link #pool(int)}, with driver options appended to the URL (e.g. {@code useBulkStmts=true}). */
    public static JdbcConnectionPool pool(int maxConnections, String urlOptions) {
        String url = urlOptions.isEmpty() ? URL : URL + (URL.contains("?") ? "&" : "?") + urlOptions;
        try {
            MariaDbDataSource ds = new MariaDbDataSource(url);
            ds.setUser(USER);
            ds.setPassword(PASSWORD);
            JdbcConnectionPool pool = JdbcConnectionPool.create(ds);
            pool.setMaxConnections(maxConnections);
            pool.setLoginTimeout(30);
            return pool;
        } catch (SQLException e) {
            throw new IllegalStateException("bad MariaDB URL " + url, e);
        }
    }

    /** A fresh, unused database name (created by the store's migration). */
    public static String newSchema(String hint) {
        String clean = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (clean.length() > 20) {
            clean = clean.substring(0, 20);
        }
        return "t_" + clean + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static void dropSchema(String schema) {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + schema + "`");
        } catch (SQLException e) {
            log.warn("could not drop test database {}: {}", schema, e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
