package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured channel as the inbox runs it: the current instance, the factory that can build a new one when the
 * instance refuses to start again after a stop, and what this node knows of its runs (started here or not, since when
 * it is not running although it should, how often it was restarted or rebuilt, the last start failure). Internal;
 * thread-safe (starts and stops are serialised on the instance's monitor; reporting never waits for them).
 */
final class ManagedChannel {
    private static final Logger log = LoggerFactory.getLogger(ManagedChannel.class);

    private final TenantId tenant;
    private final ChannelId id;
    private final ChannelType type;
    private final Supplier<? extends Channel> factory;
    private final Clock clock;
    private final ChannelStates states;
    private volatile Channel current;
    private volatile boolean active;
    private volatile Instant lastStartedAt;
    private volatile Instant interruptedAt;
    private volatile String interruption;
    private volatile String lastStartError;
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger rebuilds = new AtomicInteger();

    private ManagedChannel(Channel first, Supplier<? extends Channel> factory, Clock clock, ChannelStates states) {
        this.current = states.bind(Objects.requireNonNull(first, "channel"));
        this.states = states;
        this.tenant = first.tenant();
        this.id = first.id();
        this.type = first.type();
        this.factory = factory;
        this.clock = clock;
    }

    /** A channel the host built; if it refuses to start again after a stop, it stays stopped (and says so). */
    static ManagedChannel of(Channel channel, Clock clock, ChannelStates states) {
        return new ManagedChannel(channel, null, clock, states);
    }

    /** A channel built by {@code factory} now, and again whenever an instance refuses to start after a stop. */
    static ManagedChannel fromFactory(Supplier<? extends Channel> factory, Clock clock, ChannelStates states) {
        Objects.requireNonNull(factory, "factory");
        return withFactory(firstOf(factory), factory, clock, states);
    }

    /** A channel whose first instance {@code factory} already built. */
    static ManagedChannel withFactory(Channel first, Supplier<? extends Channel> factory, Clock clock,
            ChannelStates states) {
        return new ManagedChannel(first, Objects.requireNonNull(factory, "factory"), clock, states);
    }

    /** The factory's first instance, checked. */
    static Channel firstOf(Supplier<? extends Channel> factory) {
        return Objects.requireNonNull(factory.get(), "the channel factory returned null");
    }

    TenantId tenant() {
        return tenant;
    }

    ChannelId id() {
        return id;
    }

    String key() {
        return ChannelRegistry.key(tenant, id);
    }

    /** The instance to send through and to report on. */
    Channel current() {
        return current;
    }

    boolean isPolling() {
        return current.capabilities().receiveMode() == ReceiveMode.POLLING;
    }

    boolean isActive() {
        return active;
    }

    /**
     * Starts the channel into the sink {@code sinks} gives it. A channel that was started before and refuses to start
     * again (an {@link IllegalStateException}, e.g. an implementation that does not support restarts) is replaced by
     * a new instance from the factory, if there is one; otherwise the refusal is the failure.
     */
    synchronized CompletableFuture<Void> start(Function<Channel, InboundSink> sinks) {
        boolean restart = starts.getAndIncrement() > 0;
        Channel c = current;
        return startOnce(c, sinks).exceptionallyCompose(err -> {
            Throwable cause = unwrap(err);
            if (!(cause instanceof IllegalStateException) || factory == null || !restart) {
                return CompletableFuture.failedFuture(cause);
            }
            log.warn("Channel {}/{} refused to start again ({}); building a new instance from its factory", tenant,
                    id, cause.getMessage());
            Channel fresh;
            try {
                stopQuietly(c);
                fresh = rebuild();
            } catch (RuntimeException e) {
                e.addSuppressed(cause);
                return CompletableFuture.failedFuture(e);
            }
            return startOnce(fresh, sinks);
        }).whenComplete((v, err) -> {
            if (err == null) {
                Instant now = clock.instant();
                if (interruptedAt != null) {
                    log.info("Channel {}/{} receives again after {} ms without ({})", tenant, id,
                            now.toEpochMilli() - interruptedAt.toEpochMilli(), interruption);
                }
                active = true;
                lastStartedAt = now;
                interruptedAt = null;
                interruption = null;
                lastStartError = null;
            } else {
                lastStartError = String.valueOf(unwrap(err));
            }
        });
    }

    private synchronized Channel rebuild() {
        Channel fresh = Objects.requireNonNull(factory.get(), "the channel factory returned null");
        if (!fresh.tenant().equals(tenant) || !fresh.id().equals(id) || !fresh.type().equals(type)) {
            throw new IllegalStateException("the factory of channel " + tenant + "/" + id + " built a channel for "
                    + fresh.tenant() + "/" + fresh.id() + " (" + fresh.type() + ")");
        }
        current = states.bind(fresh);
        rebuilds.incrementAndGet();
        return fresh;
    }

    private static CompletableFuture<Void> startOnce(Channel c, Function<Channel, InboundSink> sinks) {
        try {
            return c.start(sinks.apply(c)).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Stops the current instance; the stage completes when it stopped. Never throws. */
    CompletableFuture<Void> stopAsync() {
        active = false;
        try {
            return current.stop().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Stops the current instance and waits up to {@code timeoutMs} for it. Never throws. */
    synchronized void stop(long timeoutMs) {
        try {
            stopAsync().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Channel {}/{} did not stop cleanly: {}", tenant, id, unwrap(e).toString());
        }
    }

    /** The channel should run here but does not since now, for {@code why}; shown in health until it runs again. */
    void interrupted(String why) {
        if (interruptedAt == null) {
            interruptedAt = clock.instant();
        }
        interruption = why;
    }

    /** Another node holds the channel's lease and runs it: not receiving here is no gap. */
    void runsElsewhere() {
        interruptedAt = null;
        interruption = null;
    }

    /** This channel's line in the inbox's health report. */
    InboxHealth.ChannelReport report(boolean shouldRunHere) {
        Channel c = current;
        ChannelHealth health;
        try {
            health = c.health();
        } catch (RuntimeException e) {
            health = new ChannelHealth(ChannelHealth.Status.UNKNOWN, Optional.empty(),
                    Optional.of("health() failed: " + e), Optional.empty(), Optional.empty(), Optional.empty());
        }
        return new InboxHealth.ChannelReport(tenant, id, type, c.capabilities().receiveMode(), shouldRunHere, active,
                health, Optional.ofNullable(lastStartedAt), Optional.ofNullable(interruptedAt),
                Optional.ofNullable(interruption), Math.max(0, starts.get() - 1), rebuilds.get(),
                Optional.ofNullable(lastStartError));
    }

    private static void stopQuietly(Channel c) {
        try {
            c.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("Stopping channel {} before rebuilding it: {}", c.id(), e.toString());
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public String toString() {
        return "ManagedChannel[" + tenant + "/" + id + "]";
    }
}
