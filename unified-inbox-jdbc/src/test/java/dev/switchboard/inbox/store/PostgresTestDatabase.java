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
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server tests run against: {@code jdbc:postgresql://127.0.0.1:5432/switchboard_test}, user
 * {@code postgres}, trust auth ({@code .ci/run} starts it and creates the database; locally run
 * {@code psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE switchboard_test'}). Override with env
 * {@code SWITCHBOARD_PG_URL}/{@code SWITCHBOARD_PG_USER}. When the server is unreachable, tests calling
 * {@link #assumeAvailable()} are skipped with a visible message, except under {@code CI=true} where they fail.
 * Each test gets its own schema ({@link #newSchema(String)}) so classes never see each other's rows.
 */
public final class PostgresTestDatabase {
    private static final Logger log = LoggerFactory.getLogger(PostgresTestDatabase.class);

    public static final String URL = env("SWITCHBOARD_PG_URL", "jdbc:postgresql://127.0.0.1:5432/switchboard_test");
    public static final String USER = env("SWITCHBOARD_PG_USER", "postgres");

    private static volatile String unavailableReason;
    private static volatile boolean probed;

    private PostgresTestDatabase() {}

    /** Whether the test server answers (probed once per JVM, 3 second timeout). */
    public static synchronized boolean isAvailable() {
        if (!probed) {
            probed = true;
            try (Connection c = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?")
                    + "connectTimeout=3&loginTimeout=3", USER, "")) {
                c.isValid(3);
            } catch (SQLException e) {
                unavailableReason = e.getMessage();
            }
        }
        return unavailableReason == null;
    }

    /** Skips the calling test when PostgreSQL is unreachable, or fails it when running in CI. */
    public static void assumeAvailable() {
        if (isAvailable()) {
            return;
        }
        String message = "PostgreSQL not reachable at " + URL + " (" + unavailableReason + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + ": PostgreSQL tests are required in CI (CI=true)");
        }
        log.warn("{}: SKIPPING PostgreSQL tests", message);
        Assumptions.abort(message + ": skipped outside CI");
    }

    /** A small pool (H2's JdbcConnectionPool over the PostgreSQL driver); call {@code dispose()} when done. */
    public static JdbcConnectionPool pool(int maxConnections) {
        PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
        ds.setURL(URL);
        ds.setUser(USER);
        JdbcConnectionPool pool = JdbcConnectionPool.create(ds);
        pool.setMaxConnections(maxConnections);
        pool.setLoginTimeout(30);
        return pool;
    }

    /** A fresh, unused schema name (created by the store's migration). */
    public static String newSchema(String hint) {
        String clean = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (clean.length() > 20) {
            clean = clean.substring(0, 20);
        }
        return "t_" + clean + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static void dropSchema(String schema) {
        try (Connection c = DriverManager.getConnection(URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        } catch (SQLException e) {
            log.warn("could not drop test schema {}: {}", schema, e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
