package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.SlaContract;
import org.junit.jupiter.api.AfterAll;

/**
 * SLA deadlines on PostgreSQL, in a fresh schema for this class, emptied for each test; the race test's other node is a
 * second store on the same schema.
 */
class PostgresSlaTest extends SlaContract {
    private static final ClassDatabase DATABASE = ClassDatabase.postgres("sla", 20);

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
