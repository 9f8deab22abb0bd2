package dev.switchboard.channel.webchat;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A sliding window of event times per key (an IP address): at most {@code limit} events per {@code windowMillis}.
 * The map is swept of idle keys when it grows, so a scan over many addresses does not grow it for ever. Thread-safe.
 */
final class AddressRateLimiter {
    private static final int SWEEP_AT = 10_000;
    private final long windowMillis;
    private final LongSupplier millis;
    private final Map<String, ArrayDeque<Long>> windows = new ConcurrentHashMap<>();

    AddressRateLimiter(long windowMillis, LongSupplier millis) {
        this.windowMillis = windowMillis;
        this.millis = millis;
    }

    /** Records an event for {@code key} and returns 0, or returns how many ms to wait when over {@code limit}. */
    long tryAcquire(String key, int limit) {
        long now = millis.getAsLong();
        if (windows.size() > SWEEP_AT) {
            sweep(now);
        }
        ArrayDeque<Long> times = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && now - times.peekFirst() >= windowMillis) {
                times.removeFirst();
            }
            if (times.size() >= limit) {
                return Math.max(1, windowMillis - (now - times.peekFirst()));
            }
            times.addLast(now);
            return 0;
        }
    }

    private void sweep(long now) {
        windows.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isEmpty() || now - e.getValue().peekLast() >= windowMillis;
            }
        });
    }
}
