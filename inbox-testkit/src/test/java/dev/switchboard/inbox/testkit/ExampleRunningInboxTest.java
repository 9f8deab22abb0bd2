package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.spi.InboxStore;

/** A running inbox on {@link ExampleInboxStore}: leases, outages, runtime channels, tenant views (see the contract). */
class ExampleRunningInboxTest extends RunningInboxContract {
    @Override
    protected InboxStore newStore() {
        return new ExampleInboxStore();
    }
}
