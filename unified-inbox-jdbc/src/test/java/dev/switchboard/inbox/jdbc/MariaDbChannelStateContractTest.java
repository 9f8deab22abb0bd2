package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.ChannelStateContract;
import dev.switchboard.inbox.store.MariaDbTestDatabase;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;

/** The channel-state contract on MariaDB, in a fresh database for this class, emptied before each test. */
class MariaDbChannelStateContractTest extends ChannelStateContract {
    private static JdbcConnectionPool pool;
    private static String schema;

    @Override
    protected InboxStore createStore() throws Exception {
        MariaDbTestDatabase.assumeAvailable();
        if (pool == null) {
            pool = MariaDbTestDatabase.pool(12);
            schema = MariaDbTestDatabase.newSchema("chstate");
            return JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
        }
        TestSchemas.truncateAllMariaDb(pool, schema);
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
