package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** Preferences and the consent ledger on the in-memory store. */
class InMemoryConsentTest extends ConsentContract {
    @Override
    protected InboxStore newStore() {
        return new InMemoryInboxStore();
    }
}
