package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.AcknowledgementContract;
import org.junit.jupiter.api.AfterAll;

/** Acknowledgements on MariaDB, in a fresh database for this class, emptied for each test. */
class MariaDbAcknowledgementTest extends AcknowledgementContract {
    private static final ClassDatabase DATABASE = ClassDatabase.mariaDb("acks", 20);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
