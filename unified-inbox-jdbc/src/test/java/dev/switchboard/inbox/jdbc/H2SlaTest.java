package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.SlaContract;
import org.junit.jupiter.api.AfterAll;

/**
 * SLA deadlines on an H2 file store, migrated once per class and emptied for each test; the race test's other
 * node is a second store on the same file.
 */
class H2SlaTest extends SlaContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2File("sla", 20);

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
