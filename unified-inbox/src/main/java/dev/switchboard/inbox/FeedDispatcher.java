package dev.switchboard.inbox;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls listeners with the event feed, in order, on one thread. It tails the durable feed rather than a local queue,
 * so events written by any node reach the listeners of every node; local commits wake it at once, other nodes' events
 * arrive within the poll interval. Internal.
 */
final class FeedDispatcher {
    private static final Logger log = LoggerFactory.getLogger(FeedDispatcher.class);
    private static final int PAGE = 500;

    private final InboxStore store;
    private final List<InboxListener> listeners = new CopyOnWriteArrayList<>();
    private final Duration pollInterval;
    private final Signal wakeup = new Signal();
    private final Thread thread;
    private final WorkerHealthTracker health;
    private volatile boolean running = true;
    private volatile long cursor;
    private volatile boolean started;

    FeedDispatcher(InboxStore store, Duration pollInterval, String nodeId, WorkerHealthTracker health) {
        this.store = store;
        this.pollInterval = pollInterval;
        this.health = health;
        this.thread = new Thread(this::run, "switchboard-events-" + nodeId);
        this.thread.setDaemon(true);
        health.aliveWhen(thread::isAlive);
    }

    /**
     * Adds a listener; it gets the events committed from now on. With no listeners the feed is not read at all (a
     * host that only pages through {@code events()} itself pays nothing for it), so the first listener added to a
     * running inbox moves the cursor to the end of the feed first.
     */
    synchronized Subscription add(InboxListener listener) {
        if (started && listeners.isEmpty()) {
            try {
                cursor = store.inTransaction(tx -> tx.lastEventSeq());
            } catch (RuntimeException e) {
                // the listener then also gets what was appended while nobody listened: more, never less
                log.warn("Could not find the end of the event feed for a new listener: {}", e.toString());
            }
        }
        listeners.add(listener);
        wakeup.signal();
        return () -> listeners.remove(listener);
    }

    synchronized void start() {
        cursor = store.inTransaction(tx -> tx.lastEventSeq());
        started = true;
        thread.start();
    }

    /**
     * New events may be in the feed: read now rather than at the next poll. With no listeners the feed is not read,
     * so the thread is left asleep ({@link #add} wakes it for a first listener).
     */
    void wake() {
        if (!listeners.isEmpty()) {
            wakeup.signal();
        }
    }

    void close(Duration timeout) {
        running = false;
        wakeup.signal();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                if (listeners.isEmpty()) {
                    health.ran();
                    wakeup.await(pollInterval);
                    continue;
                }
                long after = cursor;
                List<InboxEvent> page = store.inTransaction(tx -> tx.events(Optional.empty(), after, PAGE));
                for (InboxEvent event : page) {
                    try (LogContext mdc = LogContext.of(event.tenant(), channelOf(event))) {
                        for (InboxListener listener : listeners) {
                            try {
                                listener.onEvent(event);
                            } catch (RuntimeException e) {
                                log.warn("Listener {} failed on event {}; going on with the others", listener,
                                        event.seq(), e);
                            }
                        }
                    }
                    cursor = event.seq();
                }
                health.ran();
                if (page.size() < PAGE) {
                    wakeup.await(pollInterval);
                }
            } catch (RuntimeException e) {
                health.failed(e);
                log.warn("Reading the event feed failed; retrying after {}: {}", pollInterval, e.toString());
                wakeup.await(pollInterval);
            }
        }
    }

    /** The channel an event names, for the log context; null when it names none (or nothing valid). */
    private static ChannelId channelOf(InboxEvent event) {
        String channel = event.attributes().get("channel");
        try {
            return channel == null ? null : ChannelId.of(channel);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
