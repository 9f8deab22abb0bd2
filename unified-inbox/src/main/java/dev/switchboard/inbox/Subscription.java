package dev.switchboard.inbox;

/**
 * A registered listener, returned by {@link Inbox#addListener} and {@link TenantInbox#addListener}: {@link #close()}
 * removes it. Closing throws nothing and is idempotent, so a subscription fits a try-with-resources block or a
 * host's shutdown list without exception handling. Thread-safe.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /**
     * Removes the listener: at most the event being dispatched right now still reaches it. Closing again does nothing.
     */
    @Override
    void close();
}
