package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.RoutingContract;
import org.junit.jupiter.api.AfterAll;

/**
 * Routing on PostgreSQL, in a fresh schema for this class, emptied for each test; the race test's other
 * nodes are further stores on the same schema.
 */
class PostgresRoutingTest extends RoutingContract {
    private static final ClassDatabase DATABASE = ClassDatabase.postgres("routing", 40);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @Override
    protected InboxStore anotherNode(InboxStore first) {
        return DATABASE.anotherNode();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
