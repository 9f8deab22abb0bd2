package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.store.MariaDbTestDatabase;
import dev.switchboard.inbox.testkit.RoutingContract;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;

/**
 * Routing on MariaDB, in a fresh schema for this class, emptied for each test; the race test's other
 * nodes are further stores on the same schema.
 */
class MariaDbRoutingTest extends RoutingContract {
    private static JdbcConnectionPool pool;
    private static String schema;

    @Override
    protected InboxStore newStore() {
        MariaDbTestDatabase.assumeAvailable();
        try {
            if (pool == null) {
                pool = MariaDbTestDatabase.pool(40);
                schema = MariaDbTestDatabase.newSchema("routing");
                return JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
            }
            TestSchemas.truncateAllMariaDb(pool, schema);
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
            MariaDbTestDatabase.dropSchema(schema);
        }
    }
}
