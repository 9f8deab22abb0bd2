package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.Lease;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each polling channel on exactly one node: the one holding the lease {@code poll:<tenant>:<channel>}. Every
 * check interval a node without the lease tries to take it (and starts the channel when it does); a node that lost
 * its lease stops the channel. With a check interval of at most 10 s and a lease that dies with its holder's
 * connection, another node takes over well within 30 s. Internal.
 */
final class PollingSupervisor {
    private static final Logger log = LoggerFactory.getLogger(PollingSupervisor.class);

    private final InboxStore store;
    private final String nodeId;
    private final Duration checkInterval;
    private final Function<Channel, InboundSink> sinks;
    private final List<Guarded> guarded;
    private final ScheduledExecutorService scheduler;

    /** One polling channel and the lease under which it runs here. */
    private static final class Guarded {
        final Channel channel;
        Lease lease;

        Guarded(Channel channel) {
            this.channel = channel;
        }

        String leaseName() {
            return "poll:" + channel.tenant().value() + ":" + channel.id().value();
        }
    }

    PollingSupervisor(InboxStore store, String nodeId, Duration checkInterval, List<Channel> channels,
                      Function<Channel, InboundSink> sinks) {
        this.store = store;
        this.nodeId = nodeId;
        this.checkInterval = checkInterval;
        this.sinks = sinks;
        this.guarded = channels.stream().map(Guarded::new).toList();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-leases-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        if (!guarded.isEmpty()) {
            scheduler.scheduleWithFixedDelay(this::checkAll, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void checkAll() {
        for (Guarded g : guarded) {
            try {
                check(g);
            } catch (RuntimeException e) {
                log.warn("Lease check for {} failed: {}", g.leaseName(), e.toString());
            }
        }
    }

    private synchronized void check(Guarded g) {
        if (g.lease != null && !g.lease.isHeld()) {
            log.warn("Node {} lost lease {}; stopping channel {}", nodeId, g.leaseName(), g.channel.id());
            g.lease = null;
            stop(g.channel);
        }
        if (g.lease == null) {
            store.tryAcquireLease(g.leaseName(), nodeId).ifPresent(lease -> {
                log.info("Node {} took lease {}; starting channel {}", nodeId, g.leaseName(), g.channel.id());
                g.lease = lease;
                try {
                    g.channel.start(sinks.apply(g.channel)).toCompletableFuture()
                            .get(checkInterval.toMillis() * 3 + 1000, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    log.warn("Channel {} failed to start; releasing {} for another node: {}", g.channel.id(),
                            g.leaseName(), e.toString());
                    stop(g.channel);
                    lease.release();
                    g.lease = null;
                }
            });
        }
    }

    private static void stop(Channel channel) {
        try {
            channel.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Channel {} did not stop cleanly: {}", channel.id(), e.toString());
        }
    }

    void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (Guarded g : guarded) {
                if (g.lease != null) {
                    stop(g.channel);
                    g.lease.release();
                    g.lease = null;
                }
            }
        }
    }
}
