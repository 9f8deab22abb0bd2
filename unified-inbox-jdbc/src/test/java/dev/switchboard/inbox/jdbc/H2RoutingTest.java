package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.RoutingContract;
import org.junit.jupiter.api.AfterAll;

/**
 * Routing on an H2 file store, migrated once per class and emptied for each test; the race test's other nodes are
 * further stores on the same file.
 */
class H2RoutingTest extends RoutingContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2File("routing", 40);

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
