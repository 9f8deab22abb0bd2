package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** Campaigns on the in-memory store. */
class InMemoryCampaignTest extends CampaignContract {
    @Override
    protected InboxStore newStore() {
        return new InMemoryInboxStore();
    }
}
