package dev.switchboard.inbox.cluster;

import dev.switchboard.inbox.store.MariaDbTestDatabase;
import org.h2.jdbcx.JdbcConnectionPool;

/** Two inbox nodes on one MariaDB database: the same outbox, lease and event-feed guarantees as on PostgreSQL. */
class MariaDbTwoNodeClusterTest extends TwoNodeClusterTest {
    @Override
    void assumeDatabaseAvailable() {
        MariaDbTestDatabase.assumeAvailable();
    }

    @Override
    String newSchema(String hint) {
        return MariaDbTestDatabase.newSchema(hint);
    }

    @Override
    void dropSchema(String name) {
        MariaDbTestDatabase.dropSchema(name);
    }

    @Override
    JdbcConnectionPool pool(int size) {
        return MariaDbTestDatabase.pool(size);
    }
}
