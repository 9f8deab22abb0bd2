package dev.switchboard.store;

/** Work run inside one store transaction; whatever it throws rolls the transaction back. */
@FunctionalInterface
public interface TransactionWork<X extends StoreTransaction, T> {
    T run(X tx);
}
