package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** Export and erasure on the in-memory store. */
class InMemoryPrivacyTest extends PrivacyContract {
    @Override
    protected InboxStore newStore() {
        return new InMemoryInboxStore();
    }
}
