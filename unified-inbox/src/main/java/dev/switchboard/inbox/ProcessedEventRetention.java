package dev.switchboard.inbox;

import dev.switchboard.inbox.spi.InboxStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the dedupe table of processed platform event ids at its retention: once an hour (first a minute after start)
 * it forgets the ids recorded longer ago than the retention, oldest first, in batches of {@value #BATCH} per
 * transaction so no transaction holds many locks. Every node runs it; deletes by several nodes at once are harmless.
 * Internal.
 */
final class ProcessedEventRetention {
    private static final Logger log = LoggerFactory.getLogger(ProcessedEventRetention.class);
    static final int BATCH = 5_000;
    static final Duration INTERVAL = Duration.ofHours(1);

    private final InboxStore store;
    private final Clock clock;
    private final Duration retention;
    private final WorkerHealthTracker health;
    private final ScheduledExecutorService scheduler;

    ProcessedEventRetention(InboxStore store, Clock clock, Duration retention, String nodeId,
                            WorkerHealthTracker health) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        this.health = health;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-retention-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        health.aliveWhen(() -> !scheduler.isShutdown());
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::runQuietly, 60, INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    private void runQuietly() {
        try {
            pruneNow();
            pruneExpiredChannelState();
        } catch (RuntimeException e) {
            health.failed(e);
            log.warn("Pruning processed event ids failed; trying again in {}: {}", INTERVAL, e.toString());
        }
    }

    /** Forgets every processed event id older than the retention now; returns how many. */
    int pruneNow() {
        Instant before = clock.instant().minus(retention);
        int total = 0;
        int pruned;
        do {
            pruned = store.inTransaction(tx -> tx.pruneProcessed(before, BATCH));
            total += pruned;
        } while (pruned == BATCH);
        health.ran();
        if (total > 0) {
            log.info("Forgot {} processed event id(s) recorded before {} (retention {})", total, before, retention);
        }
        return total;
    }

    /** Deletes the channel-state records that expired (they already read as absent); returns how many. */
    int pruneExpiredChannelState() {
        if (!store.keepsChannelState()) {
            return 0;
        }
        Instant now = clock.instant();
        int total = 0;
        int pruned;
        do {
            pruned = store.inTransaction(tx -> tx.pruneChannelState(now, BATCH));
            total += pruned;
        } while (pruned == BATCH);
        if (total > 0) {
            log.info("Deleted {} expired channel-state record(s)", total);
        }
        return total;
    }

    void close() {
        scheduler.shutdownNow();
    }
}
