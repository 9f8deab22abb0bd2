package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.AcknowledgementContract;
import org.junit.jupiter.api.AfterAll;

/** Acknowledgements on PostgreSQL, in a fresh schema for this class, emptied for each test. */
class PostgresAcknowledgementTest extends AcknowledgementContract {
    private static final ClassDatabase DATABASE = ClassDatabase.postgres("acks", 20);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
