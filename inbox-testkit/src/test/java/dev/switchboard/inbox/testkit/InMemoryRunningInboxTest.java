package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** Running an inbox on the in-memory store. */
class InMemoryRunningInboxTest extends RunningInboxContract {
    @Override
    protected InboxStore newStore() {
        return new InMemoryInboxStore();
    }
}
