package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** The inbox's behaviour on the in-memory store. */
class InMemoryInboxBehaviourTest extends InboxBehaviourContract {
    @Override
    protected InboxStore newStore() {
        return new InMemoryInboxStore();
    }
}
