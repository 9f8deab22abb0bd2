package dev.switchboard.inbox;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** The inbox's behaviour on the in-memory store. */
class InMemoryInboxBehaviourTest extends InboxBehaviourTest {
    @Override
    protected InboxStore newStore() {
        return new InMemoryInboxStore();
    }
}
