package dev.switchboard.channel.state;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callbacks registered through {@link ChannelState#watch}, by a key naming one log (for a store: its tenant,
 * channel and log name), for implementations of {@link ChannelState} and of stores behind it. {@link #fire} runs the
 * callbacks of one log, {@link #fireAll} every callback (after notifications may have been missed, such as a
 * reconnect); a callback that throws is logged and does not stop the others. Thread-safe.
 */
public final class LogWatchers {
    private static final Logger log = LoggerFactory.getLogger(LogWatchers.class);
    private final Map<String, Set<Runnable>> watchers = new ConcurrentHashMap<>();

    /** Registers {@code onAppend} for the log {@code key}; closing the result removes it. */
    public ChannelState.Watch add(String key, Runnable onAppend) {
        Objects.requireNonNull(key, "key");
        Runnable callback = Objects.requireNonNull(onAppend, "onAppend")::run; // a distinct identity per watch
        watchers.computeIfAbsent(key, k -> new CopyOnWriteArraySet<>()).add(callback);
        return () -> watchers.computeIfPresent(key, (k, set) -> {
            set.remove(callback);
            return set.isEmpty() ? null : set;
        });
    }

    /** Whether any callback is registered (a store may listen only then). */
    public boolean isEmpty() {
        return watchers.isEmpty();
    }

    /** Runs the callbacks of the log {@code key}, on the calling thread. */
    public void fire(String key) {
        Set<Runnable> set = watchers.get(key);
        if (set != null) {
            set.forEach(LogWatchers::runQuietly);
        }
    }

    /** Runs every callback, on the calling thread. */
    public void fireAll() {
        watchers.values().forEach(set -> set.forEach(LogWatchers::runQuietly));
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("a channel log watcher failed", e);
        }
    }
}
