package dev.switchboard.bench.telegram;

import dev.switchboard.channel.Capabilities;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The harness's own send pacer (the inbox has one, but channel benchmarks must not depend on unified-inbox): it reads
 * the global and per-recipient limits a channel declares in {@link Capabilities} (times a time-scale factor) and hands
 * out send slots evenly spaced for both (GCRA). When the harness itself stalls (GC, a descheduled thread on a noisy
 * core), up to {@value #CATCH_UP_SECONDS} s worth of missed slots may be made up for: the platform's bucket refilled
 * during the stall, so the catch-up does not exceed the average rate; longer stalls are not made up for.
 */
final class Pacer {
    static final double CATCH_UP_SECONDS = 0.1;
    private final long globalIntervalNanos;
    private final long perRecipientIntervalNanos;
    private final long catchUpNanos;
    private final Map<String, Long> nextForRecipient = new HashMap<>();
    private long nextGlobal = System.nanoTime();

    /**
     * @param utilisation the share of the declared global rate to aim for (e.g. 0.98). Pacing at exactly 100% leaves
     *     no slack: the platform's bucket never refills after one burst of network or scheduling jitter, so every
     *     later jitter becomes a 429.
     */
    Pacer(Capabilities capabilities, double timeScale, double utilisation) {
        double global = capabilities.globalRateLimit().orElseThrow().ratePerSecond() * timeScale * utilisation;
        double perRecipient = capabilities.perRecipientRateLimit().orElseThrow().ratePerSecond() * timeScale;
        this.globalIntervalNanos = (long) (1e9 / global);
        this.perRecipientIntervalNanos = (long) (1e9 / perRecipient);
        this.catchUpNanos = Math.max(globalIntervalNanos, (long) (CATCH_UP_SECONDS * 1e9));
    }

    double globalRatePerSecond() {
        return 1e9 / globalIntervalNanos;
    }

    /** Blocks until {@code recipient} may be sent to. Single-threaded use. */
    void acquire(String recipient) {
        long now = System.nanoTime();
        long earliest = now - catchUpNanos;
        long slot = Math.max(earliest, Math.max(nextGlobal, nextForRecipient.getOrDefault(recipient, earliest)));
        nextGlobal = slot + globalIntervalNanos;
        nextForRecipient.put(recipient, slot + perRecipientIntervalNanos);
        long wait;
        while ((wait = slot - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
