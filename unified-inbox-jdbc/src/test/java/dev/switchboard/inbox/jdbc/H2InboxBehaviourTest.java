package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.InboxBehaviourContract;
import org.junit.jupiter.api.AfterAll;

/** The inbox's behaviour on an H2 file store, migrated once per class and emptied for each test. */
class H2InboxBehaviourTest extends InboxBehaviourContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2File("behaviour", 32);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
