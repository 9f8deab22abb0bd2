package dev.switchboard.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inbox.store.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL: the bulk lookups of a group of inbound events are planned afresh ({@code force_custom_plan}) only while a
 * table they read may hold a cached plan made for a much smaller table, and use the plan cache otherwise.
 */
class PostgresLookupPlansTest {

    @Test
    void customPlansAreForcedOnlyWhileATableOutgrewItsStatistics() throws Exception {
        PostgresTestDatabase.assumeAvailable();
        JdbcConnectionPool pool = PostgresTestDatabase.pool(2);
        String schema = PostgresTestDatabase.newSchema("plans");
        String prefix = "\"" + schema + "\".";
        try (JdbcInboxStore store = JdbcInboxStore.builder().dataSource(pool).schema(schema).build()) {
            List<String> tables = StoreSql.of(prefix, PostgresDialect.INSTANCE).ingestLookupTables();
            // a fresh, empty schema: whatever is planned for tiny tables is right for them
            assertThat(modeForLookups(pool, tables)).isEqualTo("auto");

            // dedupe rows far past 8 pages, never analyzed: a cached plan may be a sequential scan per key
            execute(pool, "INSERT INTO " + prefix + "sb_processed_event (tenant, channel, event_id, processed_at)"
                    + " SELECT 'default', 'c', 'e' || g, now() FROM generate_series(1, 5000) g");
            assertThat(modeForLookups(pool, tables)).isEqualTo("force_custom_plan");
            execute(pool, "ANALYZE " + prefix + "sb_processed_event");
            assertThat(modeForLookups(pool, tables)).isEqualTo("auto");

            // accounts analyzed while small (under 16 pages), then grown to more than twice that
            execute(pool, "INSERT INTO " + prefix + "sb_account (tenant, channel, platform_user_id, customer_id)"
                    + " SELECT 'default', 'c', 'u' || g, 'k' || g FROM generate_series(1, 600) g");
            execute(pool, "ANALYZE " + prefix + "sb_account");
            assertThat(modeForLookups(pool, tables)).isEqualTo("auto");
            execute(pool, "INSERT INTO " + prefix + "sb_account (tenant, channel, platform_user_id, customer_id)"
                    + " SELECT 'default', 'c', 'v' || g, 'k' || g FROM generate_series(1, 3000) g");
            assertThat(modeForLookups(pool, tables)).isEqualTo("force_custom_plan");
        } finally {
            pool.dispose();
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    /** Runs the check in a transaction, as a group's prefetch does, and returns the mode its lookups run under. */
    private static String modeForLookups(DataSource dataSource, List<String> tables) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                JdbcStatements jdbc = new JdbcStatements(c, PostgresDialect.INSTANCE);
                boolean forced = PostgresDialect.forceCustomPlansWhileYoung(jdbc, tables);
                String mode = jdbc.queryOne("SHOW plan_cache_mode", rs -> rs.getString(1)).orElseThrow();
                assertThat(forced).isEqualTo(mode.equals("force_custom_plan"));
                return mode;
            } finally {
                c.rollback();
            }
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
