package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.InboxStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The store contract on MariaDB, in a fresh database for this class, emptied before each test. */
class MariaDbInboxStoreContractTest extends InboxStoreContract {
    private static final ClassDatabase DATABASE = ClassDatabase.mariaDb("contract", 12);

    @Override
    protected InboxStore createStore() throws Exception {
        return DATABASE.freshStore();
    }

    @Override
    protected boolean boundsContactLookups() {
        return true;
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
