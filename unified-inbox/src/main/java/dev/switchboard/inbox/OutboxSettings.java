package dev.switchboard.inbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How the outbox delivers: how many sends may be in flight, how many rows one claim takes, how often a retryable
 * failure is retried and how the wait between attempts grows, how long one send may take, and how long a claimed row
 * stays reserved for this node (after which another node may take it, e.g. when this one crashed). A platform's own
 * retry-after always wins over the computed backoff.
 *
 * @param workers sends in flight at once on this node
 * @param batchSize rows claimed per round
 * @param maxAttempts attempts before a retryable failure is recorded as final
 * @param baseBackoff the wait after the first failure, doubled per attempt
 * @param maxBackoff the cap of the doubled wait
 * @param jitter 0..1, the share of the wait drawn at random (1 = "full jitter"), so retries of many rows spread out
 * @param sendTimeout a send that has not completed by then counts as a retryable failure
 * @param leaseDuration how long a claimed row is reserved for this node; must exceed the send timeout
 * @param pollInterval how often due rows are looked for when nothing woke the outbox
 */
public record OutboxSettings(int workers, int batchSize, int maxAttempts, Duration baseBackoff, Duration maxBackoff,
                             double jitter, Duration sendTimeout, Duration leaseDuration, Duration pollInterval) {

    public OutboxSettings {
        Objects.requireNonNull(baseBackoff, "baseBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(pollInterval, "pollInterval");
        require(workers >= 1, "workers must be >= 1, got " + workers);
        require(batchSize >= 1, "batchSize must be >= 1, got " + batchSize);
        require(maxAttempts >= 1, "maxAttempts must be >= 1, got " + maxAttempts);
        require(positive(baseBackoff), "baseBackoff must be positive, got " + baseBackoff);
        require(maxBackoff.compareTo(baseBackoff) >= 0, "maxBackoff (" + maxBackoff + ") must be >= baseBackoff ("
                + baseBackoff + ")");
        require(jitter >= 0 && jitter <= 1, "jitter must be within 0..1, got " + jitter);
        require(positive(sendTimeout), "sendTimeout must be positive, got " + sendTimeout);
        require(leaseDuration.compareTo(sendTimeout.multipliedBy(2)) >= 0, "leaseDuration (" + leaseDuration
                + ") must be at least twice the sendTimeout (" + sendTimeout + ") so a slow send keeps its row");
        require(positive(pollInterval), "pollInterval must be positive, got " + pollInterval);
    }

    /** 8 workers, batches of 50, 10 attempts, backoff 1 s doubling to 5 min with 50% jitter, 30 s timeout, 2 min lease. */
    public static OutboxSettings defaults() {
        return builder().build();
    }

    /** A builder starting from the {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    private static boolean positive(Duration d) {
        return !d.isZero() && !d.isNegative();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Builds {@link OutboxSettings}; every value starts at the default. */
    public static final class Builder {
        private int workers = 8;
        private int batchSize = 50;
        private int maxAttempts = 10;
        private Duration baseBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofMinutes(5);
        private double jitter = 0.5;
        private Duration sendTimeout = Duration.ofSeconds(30);
        private Duration leaseDuration = Duration.ofMinutes(2);
        private Duration pollInterval = Duration.ofMillis(200);

        /** Sends in flight at once on this node (default 8). */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Rows claimed per round (default 50). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Attempts before a retryable failure is final (default 10; rate limiting never counts). */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The wait after the first failure and its cap (default 1 s doubling to 5 min). */
        public Builder backoff(Duration base, Duration max) {
            this.baseBackoff = base;
            this.maxBackoff = max;
            return this;
        }

        /** The random share of each wait, 0..1 (default 0.5). */
        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        /** How long one send may take before it counts as a retryable failure (default 30 s). */
        public Builder sendTimeout(Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
            return this;
        }

        /** How long a claimed row stays reserved for this node (default 2 min; at least twice the send timeout). */
        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
            return this;
        }

        /** How often due rows are looked for when nothing woke the outbox. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /** The settings; invalid combinations fail with an {@link IllegalArgumentException} naming the option. */
        public OutboxSettings build() {
            return new OutboxSettings(workers, batchSize, maxAttempts, baseBackoff, maxBackoff, jitter, sendTimeout,
                    leaseDuration, pollInterval);
        }
    }
}
