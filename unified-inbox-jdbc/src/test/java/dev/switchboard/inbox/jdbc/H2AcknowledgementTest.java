package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.AcknowledgementContract;
import org.junit.jupiter.api.AfterAll;

/** Acknowledgements on the JDBC store: H2 in memory, migrated once per class and emptied for each test. */
class H2AcknowledgementTest extends AcknowledgementContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2Memory("acknowledgements");

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
