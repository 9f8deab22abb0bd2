package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** Automated inbound mail on the in-memory store. */
class InMemoryAutomatedInboundTest extends AutomatedInboundContract {
    @Override
    protected InboxStore newStore() {
        return new InMemoryInboxStore();
    }
}
