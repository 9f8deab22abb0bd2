package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.AutomatedInboundContract;
import org.junit.jupiter.api.AfterAll;

/** Automated inbound mail on the JDBC store: H2 in memory, migrated once per class and emptied for each test. */
class H2AutomatedInboundTest extends AutomatedInboundContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2Memory("automated");

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
