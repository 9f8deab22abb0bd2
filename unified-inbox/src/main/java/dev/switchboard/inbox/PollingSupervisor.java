package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.Lease;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each polling channel on exactly one node: the one holding the lease {@code poll:<tenant>:<channel>}. Every
 * check interval a node without the lease tries to take it and starts the channel when it does; a node that lost its
 * lease (its database session died: a dropped connection, a database restart) stops the channel, and when it takes
 * the lease again it starts the same channel again, or a new instance from the channel's factory if the old one
 * refuses a restart. Until then the channel is reported as interrupted in the inbox's health. Channels added or
 * removed while the inbox runs are picked up at the next check ({@link #checkSoon()} makes that now). With a check
 * interval of at most 10 s and a lease that dies with its holder's connection, another node takes over well within
 * 30 s. Internal.
 */
final class PollingSupervisor {
    private static final Logger log = LoggerFactory.getLogger(PollingSupervisor.class);

    private final InboxStore store;
    private final String nodeId;
    private final Duration checkInterval;
    private final Function<Channel, InboundSink> sinks;
    private final Supplier<List<ManagedChannel>> channels;
    private final WorkerHealthTracker health;
    private final ScheduledExecutorService scheduler;
    /** The leases this node holds, by channel. Changed under {@code this}; read without it by health reports. */
    private final Map<ManagedChannel, Lease> leases = new ConcurrentHashMap<>();
    private volatile boolean started;

    PollingSupervisor(InboxStore store, String nodeId, Duration checkInterval, Supplier<List<ManagedChannel>> channels,
                      Function<Channel, InboundSink> sinks, WorkerHealthTracker health) {
        this.store = store;
        this.nodeId = nodeId;
        this.checkInterval = checkInterval;
        this.sinks = sinks;
        this.channels = channels;
        this.health = health;
        Thread[] worker = new Thread[1];
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-leases-" + nodeId);
            t.setDaemon(true);
            worker[0] = t;
            return t;
        });
        health.aliveWhen(() -> started && !scheduler.isShutdown() && worker[0] != null && worker[0].isAlive());
    }

    static String leaseName(ManagedChannel c) {
        return "poll:" + c.tenant().value() + ":" + c.id().value();
    }

    void start() {
        started = true;
        scheduler.scheduleWithFixedDelay(this::checkAll, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a check now rather than at the next interval (a channel was added, replaced or removed). */
    void checkSoon() {
        if (started && !scheduler.isShutdown()) {
            scheduler.execute(this::checkAll);
        }
    }

    /** Whether this node holds the channel's lease (and so should be running it). */
    boolean holds(ManagedChannel c) {
        return leases.containsKey(c);
    }

    private void checkAll() {
        boolean failed = false;
        Set<ManagedChannel> configured = new HashSet<>();
        for (ManagedChannel c : channels.get()) {
            if (!c.isPolling()) {
                continue;
            }
            configured.add(c);
            try (var mdc = LogContext.of(c.tenant(), c.id())) {
                check(c);
            } catch (RuntimeException e) {
                failed = true;
                health.failed(e);
                c.interrupted("lease check failed: " + e);
                log.warn("Lease check for {} failed: {}", leaseName(c), e.toString());
            }
        }
        releaseUnconfigured(configured);
        if (!failed) {
            health.ran();
        }
    }

    private synchronized void check(ManagedChannel c) {
        Lease lease = leases.get(c);
        if (lease != null && !lease.isHeld()) {
            log.warn("Node {} lost lease {}; stopping channel {}/{} until the lease is taken again", nodeId,
                    leaseName(c), c.tenant(), c.id());
            leases.remove(c);
            c.interrupted("lost lease " + leaseName(c));
            c.stop(10_000);
            lease = null;
        }
        if (lease == null) {
            Optional<Lease> acquired = store.tryAcquireLease(leaseName(c), nodeId);
            if (acquired.isEmpty()) {
                c.runsElsewhere();
            }
            acquired.ifPresent(taken -> {
                log.info("Node {} took lease {}; starting channel {}/{}", nodeId, leaseName(c), c.tenant(), c.id());
                leases.put(c, taken);
                try {
                    c.start(sinks).get(checkInterval.toMillis() * 3 + 1000, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    Throwable cause = ManagedChannel.unwrap(e);
                    log.warn("Channel {}/{} failed to start; releasing {} for another node: {}", c.tenant(), c.id(),
                            leaseName(c), cause.toString());
                    c.interrupted("failed to start: " + cause);
                    c.stop(10_000);
                    taken.release();
                    leases.remove(c);
                }
            });
        }
    }

    /** Stops the channels that were removed or replaced since the last check and frees their leases. */
    private synchronized void releaseUnconfigured(Set<ManagedChannel> configured) {
        leases.keySet().removeIf(c -> {
            if (configured.contains(c)) {
                return false;
            }
            release(c, leases.get(c));
            return true;
        });
    }

    /** Stops {@code c} here and frees its lease now (it was removed or replaced). */
    synchronized void release(ManagedChannel c) {
        Lease lease = leases.remove(c);
        if (lease != null) {
            release(c, lease);
        }
    }

    private static void release(ManagedChannel c, Lease lease) {
        log.info("Stopping channel {}/{} and releasing {}", c.tenant(), c.id(), leaseName(c));
        c.stop(10_000);
        lease.release();
    }

    void close() {
        started = false;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            leases.forEach(PollingSupervisor::release);
            leases.clear();
        }
    }
}
