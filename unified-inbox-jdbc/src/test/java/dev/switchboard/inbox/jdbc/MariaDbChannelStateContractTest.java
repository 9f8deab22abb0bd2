package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.ChannelStateContract;
import org.junit.jupiter.api.AfterAll;

/** The channel-state contract on MariaDB, in a fresh database for this class, emptied before each test. */
class MariaDbChannelStateContractTest extends ChannelStateContract {
    private static final ClassDatabase DATABASE = ClassDatabase.mariaDb("chstate", 12);

    @Override
    protected InboxStore createStore() throws Exception {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
