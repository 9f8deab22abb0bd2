package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.ConsentContract;
import org.junit.jupiter.api.AfterAll;

/** Preferences and the consent ledger on PostgreSQL, in a fresh schema for this class, emptied for each test. */
class PostgresConsentTest extends ConsentContract {
    private static final ClassDatabase DATABASE = ClassDatabase.postgres("consent", 20);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
