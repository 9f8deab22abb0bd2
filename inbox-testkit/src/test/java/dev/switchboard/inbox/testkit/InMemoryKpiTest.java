package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** The KPIs on the in-memory store. */
class InMemoryKpiTest extends KpiContract {
    @Override
    protected InboxStore newStore() {
        return new InMemoryInboxStore();
    }
}
