package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.SlaContract;
import org.junit.jupiter.api.AfterAll;

/**
 * SLA deadlines on MariaDB, in a fresh database for this class, emptied for each test; the race test's other
 * node is a second store on the same database.
 */
class MariaDbSlaTest extends SlaContract {
    private static final ClassDatabase DATABASE = ClassDatabase.mariaDb("sla", 20);

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
