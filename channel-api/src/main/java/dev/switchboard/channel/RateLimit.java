package dev.switchboard.channel;

import java.time.Duration;
import java.util.Objects;

/** A platform's documented send limit: at most {@code permits} sends per {@code period}. */
public record RateLimit(int permits, Duration period) {
    public RateLimit {
        Objects.requireNonNull(period, "period");
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1, got " + permits);
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive, got " + period);
        }
    }

    public static RateLimit perSecond(int permits) {
        return new RateLimit(permits, Duration.ofSeconds(1));
    }

    public static RateLimit perMinute(int permits) {
        return new RateLimit(permits, Duration.ofMinutes(1));
    }

    /** Sends per second this limit allows on average. */
    public double ratePerSecond() {
        return permits * 1_000_000_000.0 / period.toNanos();
    }
}
