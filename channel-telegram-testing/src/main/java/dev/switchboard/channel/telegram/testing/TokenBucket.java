package dev.switchboard.channel.telegram.testing;

/**
 * Telegram's flood control as a token bucket: {@code capacity} sends in a burst, refilled continuously at
 * {@code perSecond}. Not thread-safe: the fake calls it under its lock.
 */
final class TokenBucket {
    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, double capacity, long nowNanos) {
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Seconds until a send would be allowed; 0 when it is allowed now. */
    double waitSeconds(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (1 - tokens) / perSecond;
    }

    void take(long nowNanos) {
        refill(nowNanos);
        tokens -= 1;
    }

    private void refill(long nowNanos) {
        if (nowNanos > last) {
            tokens = Math.min(capacity, tokens + (nowNanos - last) / 1e9 * perSecond);
            last = nowNanos;
        }
    }
}
