package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** SLA on the in-memory store. */
class InMemorySlaTest extends SlaContract {
    @Override
    protected InboxStore newStore() {
        return new InMemoryInboxStore();
    }
}
