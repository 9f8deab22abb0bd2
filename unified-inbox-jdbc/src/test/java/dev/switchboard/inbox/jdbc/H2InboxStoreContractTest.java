package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.InboxStoreContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The store contract on an H2 file database (PostgreSQL mode, as {@link JdbcInboxStore#h2File} opens it) in a
 * temporary directory, migrated once per class and emptied before each test.
 */
class H2InboxStoreContractTest extends InboxStoreContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2File("contract", 16);

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
