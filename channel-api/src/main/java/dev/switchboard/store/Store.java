package dev.switchboard.store;

/**
 * The base store: customers, accounts, the identity tables, conversations and messages. Implementations are
 * thread-safe; each transaction belongs to the thread that runs it.
 */
public interface Store extends TransactionalStore<StoreTransaction> {
}
