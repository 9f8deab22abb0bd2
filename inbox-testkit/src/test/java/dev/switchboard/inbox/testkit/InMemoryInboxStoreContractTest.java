package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** The store contract on the in-memory store. */
class InMemoryInboxStoreContractTest extends InboxStoreContract {
    @Override
    protected InboxStore createStore() {
        return new InMemoryInboxStore();
    }
}
