package dev.switchboard.store;

/**
 * Thrown by a store when a write would violate uniqueness (an account already owned by another customer, a message
 * already stored). Transactions that lose such a race are retried by the caller; the in-memory store throws it too
 * so behaviour is the same on every store.
 */
public class DuplicateKeyException extends RuntimeException {
    /** A write refused because its key exists. */
    public DuplicateKeyException(String message) {
        super(message);
    }

    /** A write refused because its key exists, with the store's own exception. */
    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
