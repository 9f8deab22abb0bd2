package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.Lease;
import dev.switchboard.store.TransactionWork;
import java.util.Optional;

/**
 * Acknowledgements on a store without send-pace marks: the once-per-period rule falls back to the conversation's
 * history (automated outbound messages within the period).
 */
class HistoryFallbackAcknowledgementTest extends AcknowledgementContract {
    @Override
    protected InboxStore newStore() {
        InMemoryInboxStore engine = new InMemoryInboxStore();
        return new InboxStore() {
            @Override
            public <T> T inTransaction(TransactionWork<InboxTransaction, T> work) {
                return engine.inTransaction(work);
            }

            @Override
            public Optional<Lease> tryAcquireLease(String name, String owner) {
                return engine.tryAcquireLease(name, owner);
            }

            @Override
            public boolean sharesSendPacing() {
                return false;
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }
}
