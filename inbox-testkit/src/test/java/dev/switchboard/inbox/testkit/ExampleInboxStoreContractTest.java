package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.spi.InboxStore;

/**
 * How a store vendor runs the kit: one subclass per suite, each handing out a fresh, empty store. This one runs the
 * store contract on {@link ExampleInboxStore}; {@link ExampleRunningInboxTest} runs an inbox on it.
 */
class ExampleInboxStoreContractTest extends InboxStoreContract {
    @Override
    protected InboxStore createStore() {
        return new ExampleInboxStore();
    }
}
