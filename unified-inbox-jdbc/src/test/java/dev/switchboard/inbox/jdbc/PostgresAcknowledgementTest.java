package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.testkit.AcknowledgementContract;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.store.PostgresTestDatabase;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;

/** Acknowledgements on PostgreSQL, in a fresh schema for this class, emptied for each test. */
class PostgresAcknowledgementTest extends AcknowledgementContract {
    private static JdbcConnectionPool pool;
    private static String schema;

    @Override
    protected InboxStore newStore() {
        PostgresTestDatabase.assumeAvailable();
        try {
            if (pool == null) {
                pool = PostgresTestDatabase.pool(20);
                schema = PostgresTestDatabase.newSchema("acks");
                return JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
            }
            TestSchemas.truncateAll(pool, schema);
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
            PostgresTestDatabase.dropSchema(schema);
        }
    }
}
