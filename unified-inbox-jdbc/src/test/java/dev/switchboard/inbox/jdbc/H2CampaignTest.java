package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.CampaignContract;
import org.junit.jupiter.api.AfterAll;

/**
 * Campaigns on an H2 file store, migrated once per class, emptied for each test; the resumption test's second node is a
 * second store on the same database.
 */
class H2CampaignTest extends CampaignContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2File("campaign", 20);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @Override
    protected InboxStore anotherNode(InboxStore first) {
        return DATABASE.anotherNode();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
