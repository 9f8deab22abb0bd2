package dev.switchboard.examples.docs;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.AcknowledgementContract;
import dev.switchboard.inbox.testkit.AutomatedInboundContract;
import dev.switchboard.inbox.testkit.InboxBehaviourContract;
import dev.switchboard.inbox.testkit.InboxStoreContract;
import dev.switchboard.inbox.testkit.RunningInboxContract;

/**
 * The sample of docs/inbox-testkit.md, verbatim between the markers (see {@link DocSamplesTest}). The suites are
 * inner classes, so neither Surefire nor JUnit runs them here (the kit runs against the shipped stores in their own
 * modules); {@code AcmeInboxStore} stands for a store the reader writes.
 */
class InboxTestkitSamplesTest {

    /** The reader's store for their own database; here the in-memory store under another name. */
    static final class AcmeInboxStore {
        static InboxStore create(String schema) {
            return new InMemoryInboxStore();
        }
    }

    /** The reader's helpers that create and drop a database schema per test. */
    String freshSchema() {
        return "acme_test";
    }

    void dropSchema() {
    }

    // ---- doc snippet begins
    class AcmeInboxStoreContractTest extends InboxStoreContract {
        @Override
        protected InboxStore createStore() {
            return AcmeInboxStore.create(freshSchema());          // a new, empty store for each test
        }

        @Override
        protected void disposeStore() {
            dropSchema();                                          // optional: clean up what createStore set up
        }
    }

    class AcmeInboxBehaviourTest extends InboxBehaviourContract {
        @Override
        protected InboxStore newStore() {
            return AcmeInboxStore.create(freshSchema());
        }
    }

    class AcmeRunningInboxTest extends RunningInboxContract {
        @Override protected InboxStore newStore() { return AcmeInboxStore.create(freshSchema()); }
    }

    class AcmeAutomatedInboundTest extends AutomatedInboundContract {
        @Override protected InboxStore newStore() { return AcmeInboxStore.create(freshSchema()); }
    }

    class AcmeAcknowledgementTest extends AcknowledgementContract {
        @Override protected InboxStore newStore() { return AcmeInboxStore.create(freshSchema()); }
    }
    // ---- doc snippet ends
}
