package dev.switchboard.store;

/**
 * Thrown by a store when a write would violate uniqueness (an account already owned by another customer, a message
 * already stored). Transactions that lose such a race are retried by the caller; the in-memory store throws it too
 * so behaviour is the same on every store.
 */
public class DuplicateKeyException extends RuntimeException {
    public DuplicateKeyException(String message) {
        super(message);
    }

    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
