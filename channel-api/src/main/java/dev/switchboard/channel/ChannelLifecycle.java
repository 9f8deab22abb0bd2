package dev.switchboard.channel;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lifecycle every channel shares, for implementations to delegate to: {@link #begin()} marks the channel running
 * and refuses a second start while it runs (a clear {@link IllegalStateException}, not a second poll loop);
 * {@link #end()} marks it stopped and says whether it was running, so {@code stop()} is idempotent; and a stopped
 * channel may {@link #begin()} again, because the inbox restarts channels after a lost lease or an outage. Channels
 * build their per-run resources (poll loops, connections) in {@code start} and release them in {@code stop}, never in
 * the constructor. Thread-safe.
 */
public final class ChannelLifecycle {
    private final String channelName;
    private final AtomicBoolean running = new AtomicBoolean();

    /** {@code channelName} names the channel in error messages (its id, never a credential). */
    public ChannelLifecycle(String channelName) {
        this.channelName = channelName;
    }

    /** Marks the channel running. @throws IllegalStateException if it already is. */
    public void begin() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("channel " + channelName + " is already running; stop it first");
        }
    }

    /** Marks the channel stopped; true if it was running (the caller then releases its resources). */
    public boolean end() {
        return running.compareAndSet(true, false);
    }

    public boolean isRunning() {
        return running.get();
    }
}
