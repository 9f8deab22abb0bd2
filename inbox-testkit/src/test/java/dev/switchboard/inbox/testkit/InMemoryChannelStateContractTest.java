package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** The channel-state contract on {@link InMemoryInboxStore}. */
class InMemoryChannelStateContractTest extends ChannelStateContract {
    @Override
    protected InboxStore createStore() {
        return new InMemoryInboxStore();
    }
}
