package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** Routing on the in-memory store. */
class InMemoryRoutingTest extends RoutingContract {
    @Override
    protected InboxStore newStore() {
        return new InMemoryInboxStore();
    }
}
