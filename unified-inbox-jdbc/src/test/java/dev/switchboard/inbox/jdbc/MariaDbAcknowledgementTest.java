package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.testkit.AcknowledgementContract;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.store.MariaDbTestDatabase;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;

/** Acknowledgements on MariaDB, in a fresh database for this class, emptied for each test. */
class MariaDbAcknowledgementTest extends AcknowledgementContract {
    private static JdbcConnectionPool pool;
    private static String schema;

    @Override
    protected InboxStore newStore() {
        MariaDbTestDatabase.assumeAvailable();
        try {
            if (pool == null) {
                pool = MariaDbTestDatabase.pool(20);
                schema = MariaDbTestDatabase.newSchema("acks");
                return JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
            }
            TestSchemas.truncateAllMariaDb(pool, schema);
            return JdbcInboxStore.builder().dataSource(pool).schema(schema).autoMigrate(false).build();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
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
