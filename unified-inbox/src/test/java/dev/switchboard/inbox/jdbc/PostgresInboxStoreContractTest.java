package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.store.InboxStoreContract;
import dev.switchboard.inbox.store.PostgresTestDatabase;
import org.h2.jdbcx.JdbcConnectionPool;

/** The store contract on PostgreSQL, each test in its own fresh schema. */
class PostgresInboxStoreContractTest extends InboxStoreContract {
    private JdbcConnectionPool pool;
    private String schema;

    @Override
    protected InboxStore createStore() {
        PostgresTestDatabase.assumeAvailable();
        pool = PostgresTestDatabase.pool(12);
        schema = PostgresTestDatabase.newSchema("contract");
        return JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
    }

    @Override
    protected void disposeStore() {
        if (pool != null) {
            pool.dispose();
            PostgresTestDatabase.dropSchema(schema);
        }
    }
}
