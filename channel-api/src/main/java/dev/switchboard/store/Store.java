package dev.switchboard.store;

/** The base store: customers, accounts, the identity tables, conversations and messages. */
public interface Store extends TransactionalStore<StoreTransaction> {
}
