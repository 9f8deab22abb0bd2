package dev.switchboard.channel;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The lifecycle every channel shares, for implementations to delegate {@link Channel#start} and {@link Channel#stop}
 * to: {@link #start(InboundSink, Supplier)} refuses a second start while the channel runs (a failed stage with a clear
 * {@link IllegalStateException}, not a second poll loop or a replaced sink); {@link #stop(Supplier)} runs once per
 * run, so {@code stop()} is idempotent; and a stopped channel may start again, because the inbox restarts channels
 * after a lost lease or an outage. Channels build their per-run resources (poll loops, connections, timers) in the
 * start action and release them in the stop action, never in the constructor. When given a
 * {@link ChannelHealthTracker}, it records {@code STARTING} at each start and {@code STOPPED} at each stop.
 * {@link #sink()} is the sink of the current run, for webhook handlers. Thread-safe.
 *
 * <pre>{@code
 * private final ChannelHealthTracker health = new ChannelHealthTracker(clock);
 * private final ChannelLifecycle lifecycle = new ChannelLifecycle(tenant, id, health);
 *
 * public CompletionStage<Void> start(InboundSink sink) {
 *     return lifecycle.start(sink, () -> poller.start(sink));   // the poll loop of this run
 * }
 *
 * public CompletionStage<Void> stop() {
 *     return lifecycle.stop(() -> poller.stop());               // runs once per run
 * }
 * }</pre>
 */
public final class ChannelLifecycle {
    private final String channelName;
    private final Optional<ChannelHealthTracker> health;
    /** The current run's sink; null while stopped. Its presence is the running state. */
    private final AtomicReference<InboundSink> running = new AtomicReference<>();

    /**
     * A lifecycle named {@code <tenant>/<channel id>} in its error messages, recording starts and stops into
     * {@code health}.
     */
    public ChannelLifecycle(TenantId tenant, ChannelId channel, ChannelHealthTracker health) {
        this(Objects.requireNonNull(tenant, "tenant") + "/" + Objects.requireNonNull(channel, "channel"),
                Optional.of(Objects.requireNonNull(health, "health")));
    }

    /** {@code channelName} names the channel in error messages (its id, never a credential). Records no health. */
    public ChannelLifecycle(String channelName) {
        this(channelName, Optional.empty());
    }

    private ChannelLifecycle(String channelName, Optional<ChannelHealthTracker> health) {
        this.channelName = Objects.requireNonNull(channelName, "channelName");
        this.health = health;
    }

    /**
     * Starts a run receiving into {@code sink}: completes exceptionally with {@link IllegalStateException} if the
     * channel already runs (the running run is left alone); otherwise records {@code STARTING}, makes {@code sink} the
     * {@link #sink()} and returns what {@code run} returns (the channel's own start: poll loop, credential check).
     * If {@code run} throws, the channel is stopped again and the stage fails with what it threw.
     */
    public CompletionStage<Void> start(InboundSink sink, Supplier<? extends CompletionStage<Void>> run) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(run, "run");
        if (!running.compareAndSet(null, sink)) {
            return CompletableFuture.failedFuture(alreadyRunning());
        }
        health.ifPresent(ChannelHealthTracker::starting);
        try {
            return Objects.requireNonNull(run.get(), "the start action returned null");
        } catch (RuntimeException e) {
            if (running.compareAndSet(sink, null)) {
                health.ifPresent(ChannelHealthTracker::stopped);
            }
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Ends the current run: the first call after a start clears {@link #sink()}, runs {@code release} (which ends the
     * run's resources and completes when they are gone), records {@code STOPPED} and returns {@code release}'s stage;
     * any further call, or a call on a channel never started, completes at once without running {@code release}.
     */
    public CompletionStage<Void> stop(Supplier<? extends CompletionStage<Void>> release) {
        Objects.requireNonNull(release, "release");
        if (!end()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return Objects.requireNonNull(release.get(), "the stop action returned null");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            health.ifPresent(ChannelHealthTracker::stopped);
        }
    }

    /** The sink of the current run; empty while the channel is stopped (a webhook then answers "not running"). */
    public Optional<InboundSink> sink() {
        InboundSink sink = running.get();
        return sink == null || sink == NO_SINK ? Optional.empty() : Optional.of(sink);
    }

    /**
     * Marks the channel running without a sink, for channels that drive the lifecycle themselves.
     *
     * @throws IllegalStateException if it already is
     */
    public void begin() {
        if (!running.compareAndSet(null, NO_SINK)) {
            throw alreadyRunning();
        }
    }

    /** Marks the channel stopped; true if it was running (the caller then releases its resources). */
    public boolean end() {
        return running.getAndSet(null) != null;
    }

    public boolean isRunning() {
        return running.get() != null;
    }

    private IllegalStateException alreadyRunning() {
        return new IllegalStateException("channel " + channelName + " is already running; stop it first");
    }

    /** Stands for "running" after {@link #begin()}, which has no sink; never handed out by {@link #sink()}. */
    private static final InboundSink NO_SINK = new InboundSink() {
        @Override
        public CompletionStage<Void> deliver(InboundEvent event) {
            throw new IllegalStateException("no sink");
        }

        @Override
        public CompletionStage<Void> reject(RejectedInput input) {
            throw new IllegalStateException("no sink");
        }
    };
}
