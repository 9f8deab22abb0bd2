package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.ChannelStateContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The channel-state contract on an H2 file database (PostgreSQL mode, as {@link JdbcInboxStore#h2File} opens it) in a
 * temporary directory, migrated once per class and emptied before each test.
 */
class H2ChannelStateContractTest extends ChannelStateContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2File("chstate", 16);

    @Override
    protected InboxStore createStore() throws Exception {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
