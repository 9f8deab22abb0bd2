package dev.switchboard.bench.telegram;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.Lease;
import dev.switchboard.store.TransactionWork;
import java.util.Optional;

/**
 * The same store, but without shared send pacing: each node paces on its own, as every node did before pacing was
 * coordinated through the store. The baseline of the two-node run.
 */
final class PerNodePacingStore implements InboxStore {
    private final InboxStore delegate;

    PerNodePacingStore(InboxStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public <T> T inTransaction(TransactionWork<InboxTransaction, T> work) {
        return delegate.inTransaction(work);
    }

    @Override
    public Optional<Lease> tryAcquireLease(String name, String owner) {
        return delegate.tryAcquireLease(name, owner);
    }

    @Override
    public boolean isTransient(Throwable failure) {
        return delegate.isTransient(failure);
    }

    @Override
    public boolean sharesSendPacing() {
        return false;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
