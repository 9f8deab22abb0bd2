package dev.switchboard.inbox;

import dev.switchboard.inbox.spi.InboxStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Assembles {@link InboxHealth}: asks every channel, reads the workers' trackers, and probes the store with a trivial
 * transaction that may take at most {@link #PROBE_TIMEOUT} (a store that hangs, as a database behind a dead network
 * does, is reported unreachable instead of hanging the caller; while one probe hangs, no second one is started).
 * Internal; thread-safe.
 */
final class HealthReporter {
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final String nodeId;
    private final Clock clock;
    private final InboxStore store;
    private final ChannelRegistry channels;
    private final PollingSupervisor polling;
    private final List<WorkerHealthTracker> workers;
    private final LongSupplier duplicates;
    private final ExecutorService prober;
    private CompletableFuture<Duration> probe;

    HealthReporter(String nodeId, Clock clock, InboxStore store, ChannelRegistry channels, PollingSupervisor polling,
                   List<WorkerHealthTracker> workers, LongSupplier duplicates) {
        this.nodeId = nodeId;
        this.clock = clock;
        this.store = store;
        this.channels = channels;
        this.polling = polling;
        this.workers = List.copyOf(workers);
        this.duplicates = duplicates;
        // one probe at a time, on a thread that ends when idle, so a closed inbox can still report (and holds none)
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "switchboard-health-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.prober = pool;
    }

    InboxHealth report(boolean started) {
        List<InboxHealth.ChannelReport> reports = new ArrayList<>();
        for (ManagedChannel c : channels.snapshot()) {
            boolean shouldRun = started && (c.isPolling() ? polling.holds(c) : true);
            reports.add(c.report(shouldRun));
        }
        InboxHealth.StoreReport storeReport = probeStore();
        List<InboxHealth.Worker> workerReports = workers.stream().map(WorkerHealthTracker::snapshot).toList();
        return new InboxHealth(nodeId, clock.instant(), InboxHealth.summarise(reports, storeReport, workerReports),
                reports, storeReport, workerReports, duplicates.getAsLong());
    }

    private InboxHealth.StoreReport probeStore() {
        CompletableFuture<Duration> current;
        synchronized (this) {
            if (probe == null || probe.isDone()) {
                probe = CompletableFuture.supplyAsync(() -> {
                    long start = System.nanoTime();
                    store.inTransaction(tx -> tx.lastEventSeq());
                    return Duration.ofNanos(System.nanoTime() - start);
                }, prober);
            }
            current = probe;
        }
        try {
            Duration took = current.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new InboxHealth.StoreReport(true, Optional.of(took), Optional.empty());
        } catch (TimeoutException e) {
            return new InboxHealth.StoreReport(false, Optional.empty(),
                    Optional.of("no answer within " + PROBE_TIMEOUT.toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new InboxHealth.StoreReport(false, Optional.empty(), Optional.of("interrupted"));
        } catch (Exception e) {
            return new InboxHealth.StoreReport(false, Optional.empty(),
                    Optional.of(String.valueOf(ManagedChannel.unwrap(e))));
        }
    }

}
