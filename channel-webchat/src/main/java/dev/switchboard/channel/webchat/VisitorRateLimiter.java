package dev.switchboard.channel.webchat;

import java.util.ArrayDeque;

/**
 * A sliding one-minute window of one visitor's message times. Not thread-safe: the endpoint calls it under the
 * session's lock.
 */
final class VisitorRateLimiter {
    private static final long WINDOW_NANOS = 60_000_000_000L;
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    /** Records a message at {@code nowNanos} and returns 0, or returns how many ms to wait when over {@code limit}. */
    long tryAcquire(int limit, long nowNanos) {
        while (!times.isEmpty() && nowNanos - times.peekFirst() >= WINDOW_NANOS) {
            times.removeFirst();
        }
        if (times.size() >= limit) {
            long waitNanos = WINDOW_NANOS - (nowNanos - times.peekFirst());
            return Math.max(1, (waitNanos + 999_999) / 1_000_000);
        }
        times.addLast(nowNanos);
        return 0;
    }
}
