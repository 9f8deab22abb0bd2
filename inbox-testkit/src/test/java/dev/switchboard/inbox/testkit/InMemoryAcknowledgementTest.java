package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** Acknowledgements on the in-memory store. */
class InMemoryAcknowledgementTest extends AcknowledgementContract {
    @Override
    protected InboxStore newStore() {
        return new InMemoryInboxStore();
    }
}
