package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.RunningInboxContract;
import org.junit.jupiter.api.AfterAll;

/** Running an inbox on an H2 file store, migrated once per class and emptied for each test. */
class H2RunningInboxTest extends RunningInboxContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2File("running", 32);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
