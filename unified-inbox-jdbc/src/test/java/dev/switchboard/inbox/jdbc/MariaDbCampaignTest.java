package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.CampaignContract;
import org.junit.jupiter.api.AfterAll;

/**
 * Campaigns on MariaDB, in a fresh database for this class, emptied for each test; the resumption
 * test's second node is a second store on the same database.
 */
class MariaDbCampaignTest extends CampaignContract {
    private static final ClassDatabase DATABASE = ClassDatabase.mariaDb("campaign", 20);

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
