package dev.switchboard.store;

/**
 * A store that runs work atomically: all of it commits, or none of it does. Generic in the transaction type so the
 * inbox can extend the base {@link StoreTransaction} with its own tables (outbox, event feed) and still hand the
 * identity engine a transaction it understands.
 *
 * <p>Implementations are thread-safe: any number of threads may run transactions at once (an implementation may
 * serialize them). The transaction object handed to the work is only valid inside that call and on that thread.
 */
public interface TransactionalStore<X extends StoreTransaction> {

    /**
     * Runs {@code work} in one transaction. Implementations may run {@code work} more than once when a concurrent
     * transaction won a race (a {@link DuplicateKeyException} or serialization failure), so work must have no side
     * effects outside the transaction.
     */
    <T> T inTransaction(TransactionWork<X, T> work);
}
