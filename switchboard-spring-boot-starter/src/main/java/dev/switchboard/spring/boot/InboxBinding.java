package dev.switchboard.spring.boot;

import dev.switchboard.inbox.Inbox;

/**
 * Something bound to the running inbox while it runs (the metrics' gauges and event-feed counters, an application's
 * own feed consumer): {@link #bindTo} is called when the inbox starts, and the returned handle closed before it stops.
 */
@FunctionalInterface
public interface InboxBinding {

    /** Binds to {@code inbox}; the returned handle undoes it. */
    AutoCloseable bindTo(Inbox inbox);
}
