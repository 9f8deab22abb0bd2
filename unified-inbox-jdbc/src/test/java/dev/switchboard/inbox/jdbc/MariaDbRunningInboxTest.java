package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.RunningInboxContract;
import org.junit.jupiter.api.AfterAll;

/** Running an inbox on MariaDB, in a fresh database for this class, emptied for each test. */
class MariaDbRunningInboxTest extends RunningInboxContract {
    private static final ClassDatabase DATABASE = ClassDatabase.mariaDb("running", 20);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
