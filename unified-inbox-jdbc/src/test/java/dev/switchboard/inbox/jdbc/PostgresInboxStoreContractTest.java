package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.InboxStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The store contract on PostgreSQL, in a fresh schema for this class, emptied before each test. */
class PostgresInboxStoreContractTest extends InboxStoreContract {
    private static final ClassDatabase DATABASE = ClassDatabase.postgres("contract", 12);

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
