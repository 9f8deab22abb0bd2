package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.InboxBehaviourContract;
import org.junit.jupiter.api.AfterAll;

/** The inbox's behaviour on PostgreSQL, in a fresh schema for this class, emptied for each test. */
class PostgresInboxBehaviourTest extends InboxBehaviourContract {
    private static final ClassDatabase DATABASE = ClassDatabase.postgres("behaviour", 20);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
