package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.ChannelStateContract;
import dev.switchboard.inbox.store.PostgresTestDatabase;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;

/** The channel-state contract on PostgreSQL, in a fresh schema for this class, emptied before each test. */
class PostgresChannelStateContractTest extends ChannelStateContract {
    private static JdbcConnectionPool pool;
    private static String schema;

    @Override
    protected InboxStore createStore() throws Exception {
        PostgresTestDatabase.assumeAvailable();
        if (pool == null) {
            pool = PostgresTestDatabase.pool(12);
            schema = PostgresTestDatabase.newSchema("chstate");
            return JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
        }
        TestSchemas.truncateAll(pool, schema);
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
