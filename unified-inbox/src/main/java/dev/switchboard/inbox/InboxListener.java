package dev.switchboard.inbox;

/**
 * Receives {@link InboxEvent}s on the inbox's dispatcher thread, in feed order, after they were committed. Every node
 * of a cluster tails the durable event feed, so a listener sees events written by any node. A listener that throws is
 * logged and does not stop the others; a listener that needs durability across restarts reads
 * {@link Inbox#events(long, int)} from its own saved cursor instead. Listeners are called from one thread at a time,
 * so a listener needs no locking of its own for state only it touches; a slow listener delays the ones after it.
 */
@FunctionalInterface
public interface InboxListener {

    /** Handles one committed event. */
    void onEvent(InboxEvent event);
}
