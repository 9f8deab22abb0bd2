package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.testkit.AcknowledgementContract;
import dev.switchboard.inbox.spi.InboxStore;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;

/** Acknowledgements on the JDBC store: H2 in memory, migrated once per class and emptied for each test. */
class H2AcknowledgementTest extends AcknowledgementContract {
    private static final String SCHEMA = "acks";
    private static JdbcConnectionPool pool;

    @Override
    protected InboxStore newStore() {
        try {
            if (pool == null) {
                pool = JdbcConnectionPool.create("jdbc:h2:mem:acknowledgements;MODE=PostgreSQL;DB_CLOSE_DELAY=-1",
                        "sa", "");
                return JdbcInboxStore.builder().dataSource(pool).schema(SCHEMA).build();
            }
            TestSchemas.truncateAll(pool, SCHEMA);
            return JdbcInboxStore.builder().dataSource(pool).schema(SCHEMA).autoMigrate(false).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void dropDatabase() {
        if (pool != null) {
            pool.dispose();
            pool = null;
        }
    }
}
