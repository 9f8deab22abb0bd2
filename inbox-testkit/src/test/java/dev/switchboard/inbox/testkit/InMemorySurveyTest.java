package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;

/** Surveys, complaints and canned responses on the in-memory store. */
class InMemorySurveyTest extends SurveyContract {
    @Override
    protected InboxStore newStore() {
        return new InMemoryInboxStore();
    }
}
