package dev.switchboard.channel;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The mutable side of {@link ChannelHealth} for channel implementations: a channel records its lifecycle
 * ({@link #starting()}, {@link #up()}, {@link #stopped()}), every successful receive and send, and the problems it
 * meets; {@link #snapshot()} is what {@link Channel#health()} returns. A success clears a passing problem
 * ({@link ChannelHealth.Status#DEGRADED}) but not a {@link ChannelHealth.Status#DOWN} one, which only a restart (a
 * new {@link #starting()}) clears: a bad token stays reported until someone fixes it. Thread-safe.
 */
public final class ChannelHealthTracker {
    private final Clock clock;
    private ChannelHealth.Status status = ChannelHealth.Status.STOPPED;
    private Optional<ChannelHealth.Problem> problem = Optional.empty();
    private Optional<String> detail = Optional.empty();
    private Optional<Instant> lastReceived = Optional.empty();
    private Optional<Instant> lastSent = Optional.empty();
    private Optional<Instant> retryAt = Optional.empty();

    /** A tracker in status STOPPED that stamps times with {@code clock}. */
    public ChannelHealthTracker(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A tracker on the UTC system clock. */
    public ChannelHealthTracker() {
        this(Clock.systemUTC());
    }

    /** The channel is starting: any earlier problem is forgotten (a restart is how a DOWN channel recovers). */
    public synchronized void starting() {
        status = ChannelHealth.Status.STARTING;
        clearProblem();
    }

    /** The channel checked its credentials (or connected) and works. */
    public synchronized void up() {
        if (status != ChannelHealth.Status.DOWN) {
            status = ChannelHealth.Status.UP;
            clearProblem();
        }
    }

    /** The channel stopped. Its last receive and send times are kept. */
    public synchronized void stopped() {
        status = ChannelHealth.Status.STOPPED;
        clearProblem();
    }

    /** A receive (a poll, a webhook call, a fetched mail) succeeded: clears a passing problem. */
    public synchronized void received() {
        lastReceived = Optional.of(clock.instant());
        recovered();
    }

    /** A send succeeded: clears a passing problem. */
    public synchronized void sent() {
        lastSent = Optional.of(clock.instant());
        recovered();
    }

    /** A passing problem: the channel keeps retrying and recovers by itself. {@code detail} must not hold secrets. */
    public void degraded(ChannelHealth.Problem why, String detail) {
        degraded(why, detail, Optional.empty());
    }

    /** A passing problem the channel retries at {@code retryAt} (a platform's retry-after). */
    public void degraded(ChannelHealth.Problem why, String detail, Instant retryAt) {
        degraded(why, detail, Optional.of(Objects.requireNonNull(retryAt, "retryAt")));
    }

    /**
     * A passing problem with an optional retry time.
     *
     * @deprecated use {@link #degraded(ChannelHealth.Problem, String)} or
     *     {@link #degraded(ChannelHealth.Problem, String, Instant)}
     */
    @Deprecated(since = "0.9", forRemoval = true)
    public synchronized void degraded(ChannelHealth.Problem why, String detail, Optional<Instant> retryAt) {
        if (status == ChannelHealth.Status.DOWN || status == ChannelHealth.Status.STOPPED) {
            return;
        }
        status = ChannelHealth.Status.DEGRADED;
        this.problem = Optional.of(why);
        this.detail = Optional.of(detail);
        this.retryAt = Objects.requireNonNull(retryAt, "retryAt");
    }

    /** A problem that retrying will not fix (bad credentials): the channel is DOWN until restarted. */
    public synchronized void down(ChannelHealth.Problem why, String detail) {
        status = ChannelHealth.Status.DOWN;
        this.problem = Optional.of(why);
        this.detail = Optional.of(detail);
        this.retryAt = Optional.empty();
    }

    /** Whether a problem that retrying will not fix was reported. */
    public synchronized boolean isDown() {
        return status == ChannelHealth.Status.DOWN;
    }

    /** The health now, for {@code Channel.health()}. */
    public synchronized ChannelHealth snapshot() {
        return new ChannelHealth(status, problem, detail, lastReceived, lastSent, retryAt);
    }

    private void recovered() {
        if (status == ChannelHealth.Status.DEGRADED || status == ChannelHealth.Status.STARTING) {
            status = ChannelHealth.Status.UP;
            clearProblem();
        }
    }

    private void clearProblem() {
        problem = Optional.empty();
        detail = Optional.empty();
        retryAt = Optional.empty();
    }
}
