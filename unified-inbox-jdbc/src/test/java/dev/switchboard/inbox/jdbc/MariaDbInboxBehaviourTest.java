package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.InboxBehaviourContract;
import org.junit.jupiter.api.AfterAll;

/** The inbox's behaviour on MariaDB, in a fresh database for this class, emptied for each test. */
class MariaDbInboxBehaviourTest extends InboxBehaviourContract {
    private static final ClassDatabase DATABASE = ClassDatabase.mariaDb("behaviour", 20);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
