package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.store.PostgresTestDatabase;
import dev.switchboard.inbox.testkit.RoutingContract;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;

/**
 * Routing on PostgreSQL, in a fresh schema for this class, emptied for each test; the race test's other
 * nodes are further stores on the same schema.
 */
class PostgresRoutingTest extends RoutingContract {
    private static JdbcConnectionPool pool;
    private static String schema;

    @Override
    protected InboxStore newStore() {
        PostgresTestDatabase.assumeAvailable();
        try {
            if (pool == null) {
                pool = PostgresTestDatabase.pool(40);
                schema = PostgresTestDatabase.newSchema("routing");
                return JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
            }
            TestSchemas.truncateAll(pool, schema);
            return JdbcInboxStore.builder().dataSource(pool).schema(schema).autoMigrate(false).build();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected InboxStore anotherNode(InboxStore first) {
        return JdbcInboxStore.builder().dataSource(pool).schema(schema).autoMigrate(false).build();
    }

    @AfterAll
    static void dropSchema() {
        if (pool != null) {
            pool.dispose();
            pool = null;
            PostgresTestDatabase.dropSchema(schema);
        }
    }
}
