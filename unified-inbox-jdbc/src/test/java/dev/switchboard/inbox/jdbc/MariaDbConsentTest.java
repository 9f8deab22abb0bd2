package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.ConsentContract;
import org.junit.jupiter.api.AfterAll;

/** Preferences and the consent ledger on MariaDB, in a fresh database for this class, emptied for each test. */
class MariaDbConsentTest extends ConsentContract {
    private static final ClassDatabase DATABASE = ClassDatabase.mariaDb("consent", 20);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
