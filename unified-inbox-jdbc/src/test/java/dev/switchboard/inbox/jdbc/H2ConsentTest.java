package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.ConsentContract;
import org.junit.jupiter.api.AfterAll;

/** Preferences and the consent ledger on an H2 file store, migrated once per class, emptied for each test. */
class H2ConsentTest extends ConsentContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2File("consent", 20);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
