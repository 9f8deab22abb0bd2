package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.OutboxEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox on this node. One claimer thread claims due rows under a lease; rows for the same recipient go
 * through a lane one at a time in message/part order (so a split message arrives in order); each send waits for its
 * rate-limit slot, evenly spaced on this node ({@link SendPacer}) and across nodes when the store shares pacing
 * ({@link ClusterSendPacing}), or, if that is far off, goes back to the table with {@code nextAttemptAt} at the slot;
 * it runs with a timeout, and {@link OutboxRecorder} records the outcome. Internal.
 */
final class OutboxRunner {
    private static final Logger log = LoggerFactory.getLogger(OutboxRunner.class);
    /** The longest a claimed row waits in memory for its rate-limit slot before going back to the table. */
    private static final Duration MAX_PACING_WAIT = Duration.ofMillis(500);

    private final InboxStore store;
    private final Function<OutboxEntry, Optional<Channel>> channels;
    private final OutboxSettings settings;
    private final Clock clock;
    private final String nodeId;
    private final SendPacer pacer = new SendPacer();
    private final OutboxRecorder recorder;
    /** Pacing shared with the other nodes through the store, when the store supports it. */
    private final Optional<ClusterSendPacing> cluster;
    private final Signal wakeup = new Signal();
    private final Semaphore slots;
    private final Map<String, ArrayDeque<OutboxEntry>> lanes = new HashMap<>();
    private final ScheduledExecutorService timer;
    private final ExecutorService senders;
    private final Thread claimer;
    private volatile boolean running = true;
    private final WorkerHealthTracker health;
    /** Set by {@link Inbox} before the claimer starts. */
    InboxObserver observer = InboxObserver.NONE;

    OutboxRunner(InboxStore store, Function<OutboxEntry, Optional<Channel>> channels, OutboxSettings settings,
                 Clock clock, String nodeId, Runnable afterCommit) {
        this.store = store;
        this.channels = channels;
        this.settings = settings;
        this.clock = clock;
        this.nodeId = nodeId;
        this.recorder = new OutboxRecorder(store, settings, clock, afterCommit);
        this.cluster = store.sharesSendPacing() ? Optional.of(new ClusterSendPacing(store, clock)) : Optional.empty();
        this.slots = new Semaphore(settings.workers());
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("switchboard-outbox-timer-" + nodeId));
        this.senders = Executors.newFixedThreadPool(settings.workers(), daemon("switchboard-outbox-" + nodeId));
        this.claimer = new Thread(this::claimLoop, "switchboard-outbox-claimer-" + nodeId);
        this.claimer.setDaemon(true);
        this.health = new WorkerHealthTracker("outbox", clock);
        health.aliveWhen(claimer::isAlive);
    }

    /** The claimer's health for the inbox's report. */
    WorkerHealthTracker health() {
        return health;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    void start() {
        claimer.start();
    }

    /** Something new may be due: look now rather than at the next poll. */
    void wake() {
        wakeup.signal();
    }

    /**
     * Stops claiming, lets the sends in flight finish and records their outcomes (rows still waiting for a rate-limit
     * slot go back to the table for the next node or start), then stops the threads. The store must still be open.
     */
    void close(Duration timeout) {
        running = false;
        wakeup.signal();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            claimer.join(timeout.toMillis());
            long left = Math.max(0, deadline - System.nanoTime());
            if (slots.tryAcquire(settings.workers(), left, TimeUnit.NANOSECONDS)) {
                slots.release(settings.workers());
            } else {
                log.warn("Outbox sends still in flight after {}; their rows are retried when their lease expires",
                        timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        senders.shutdown();
        try {
            senders.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.shutdownNow();
    }

    // ---- claiming ------------------------------------------------------------------------------------------------

    private void claimLoop() {
        while (running) {
            try {
                recorder.retryUnrecorded();
                int free = slots.availablePermits();
                int want = Math.min(free, settings.batchSize());
                if (want > 0) {
                    Instant now = clock.instant();
                    List<OutboxEntry> claimed = store.inTransaction(tx ->
                            tx.claimOutbox(now, want, nodeId, now.plus(settings.leaseDuration())));
                    health.ran();
                    if (!claimed.isEmpty()) {
                        dispatch(claimed);
                        if (claimed.size() == want) {
                            continue; // there may be more due right now
                        }
                    }
                }
                wakeup.await(settings.pollInterval());
            } catch (RuntimeException e) {
                health.failed(e);
                log.warn("Outbox claim failed; retrying after {}: {}", settings.pollInterval(), e.toString());
                wakeup.await(settings.pollInterval());
            }
        }
    }

    private void dispatch(List<OutboxEntry> claimed) {
        List<OutboxEntry> ordered = new ArrayList<>(claimed);
        ordered.sort(Comparator.comparing(OutboxEntry::createdAt)
                .thenComparing(e -> e.message().messageId().value())
                .thenComparingInt(e -> e.message().part()));
        for (OutboxEntry e : ordered) {
            slots.acquireUninterruptibly();
            String lane = laneOf(e);
            boolean idle;
            synchronized (lanes) {
                ArrayDeque<OutboxEntry> q = lanes.get(lane);
                idle = q == null;
                if (idle) {
                    lanes.put(lane, new ArrayDeque<>());
                } else {
                    q.add(e);
                }
            }
            if (idle) {
                senders.execute(() -> begin(e));
            }
        }
    }

    private static String laneOf(OutboxEntry e) {
        return e.tenant().value() + "/" + e.message().channel().value() + "/" + e.message().recipient()
                .platformUserId();
    }

    /** The row finished (sent, rescheduled, failed): free its slot and start the next row of its lane. */
    private void finished(OutboxEntry e) {
        slots.release();
        OutboxEntry next;
        String lane = laneOf(e);
        synchronized (lanes) {
            ArrayDeque<OutboxEntry> q = lanes.get(lane);
            next = q == null ? null : q.poll();
            if (next == null) {
                lanes.remove(lane);
            }
        }
        if (next != null) {
            OutboxEntry n = next;
            senders.execute(() -> begin(n));
        }
        wakeup.signal();
    }

    // ---- sending -------------------------------------------------------------------------------------------------

    private void begin(OutboxEntry e) {
        try (LogContext mdc = LogContext.of(e.tenant(), e.message().channel())) {
            if (recorder.hasUnrecordedOutcome(e.id())) {
                recorder.retryUnrecorded(); // sent before: record it, never send it again
                finished(e);
                return;
            }
            if (e.attempts() >= settings.maxAttempts()) {
                recorder.giveUp(e, e.lastError().map(r -> r + " ").orElse("") + "(gave up after " + e.attempts()
                        + " attempts)");
                finished(e);
                return;
            }
            Optional<Channel> channel = channels.apply(e);
            if (channel.isEmpty()) {
                record(e, new OutboxRecorder.Outcome(null, new SendFailure(FailureKind.UNAVAILABLE, Optional.empty(),
                        Optional.empty(), "channel " + e.message().channel() + " is not configured on node "
                        + nodeId)));
                finished(e);
                return;
            }
            Channel ch = channel.get();
            if (!previousPartSent(e)) {
                return; // rescheduled behind its earlier part
            }
            pace(ch, e);
        } catch (RuntimeException ex) {
            log.error("Outbox row {} could not be processed; it will be retried when its lease expires", e.id(), ex);
            finished(e);
        }
    }

    /**
     * Sends as soon as the channel's rate limits allow: first this node's even spacing, then (when the store shares
     * pacing) a start reserved on the schedule all nodes share. Waits in memory (on the timer, holding no thread) for
     * a start that comes soon; otherwise puts the row back in the table with its next attempt at that start.
     */
    private void pace(Channel ch, OutboxEntry e) {
        try (LogContext mdc = LogContext.of(e.tenant(), ch.id())) {
            if (!running) {
                putBackWithLane(e, clock.instant()); // closing: leave it to the next claim, here or on another node
                return;
            }
            // a campaign's marketing message yields its rate-limit slot to a waiting reply and leaves a reserve
            boolean campaign = e.message().marketing().isPresent();
            SendPacer.Permit permit = pacer.tryAcquire(e.tenant(), ch.id(), ch.capabilities(),
                    e.message().recipient().platformUserId(), e.id(), campaign);
            if (!permit.granted()) {
                long wait = Math.max(0, permit.retryAtNanos() - System.nanoTime());
                waitOrPutBack(ch, e, wait, permit.pausedUntil());
                return;
            }
            if (cluster.isPresent() && ClusterSendPacing.limited(ch.capabilities())) {
                ClusterSendPacing.Slot slot = cluster.get().reserve(e.tenant(), ch.id(), ch.capabilities(),
                        e.message().recipient().platformUserId(), MAX_PACING_WAIT, campaign);
                long wait = Math.max(0, Duration.between(clock.instant(), slot.at()).toNanos());
                if (!slot.reserved()) {
                    waitOrPutBack(ch, e, wait, Optional.of(slot.at()));
                    return;
                }
                if (wait > 0) {
                    observer.sendPaced(ch, e, Duration.ofNanos(wait));
                    timer.schedule(() -> senders.execute(() -> send(ch, e, permit)), wait, TimeUnit.NANOSECONDS);
                    return;
                }
            }
            send(ch, e, permit);
        } catch (RuntimeException ex) {
            log.error("Outbox row {} could not be paced; it will be retried when its lease expires", e.id(), ex);
            finished(e);
        }
    }

    private void waitOrPutBack(Channel ch, OutboxEntry e, long waitNanos, Optional<Instant> at) {
        observer.sendPaced(ch, e, Duration.ofNanos(waitNanos));
        if (waitNanos <= MAX_PACING_WAIT.toNanos()) {
            timer.schedule(() -> senders.execute(() -> pace(ch, e)), waitNanos, TimeUnit.NANOSECONDS);
            return;
        }
        putBackWithLane(e, at.orElseGet(() -> clock.instant().plusNanos(waitNanos)));
        timer.schedule(wakeup::signal, waitNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Puts a row that must wait back into the table together with the rows queued behind it in its lane, all with
     * the same next-attempt instant: equal instants are claimed oldest first, so the recipient's messages keep their
     * order when they come back.
     */
    private void putBackWithLane(OutboxEntry e, Instant notBefore) {
        List<OutboxEntry> behind = new ArrayList<>();
        synchronized (lanes) {
            ArrayDeque<OutboxEntry> q = lanes.get(laneOf(e));
            if (q != null) {
                behind.addAll(q);
                q.clear();
            }
        }
        try {
            store.inTransaction(tx -> {
                putBack(tx, e, notBefore);
                for (OutboxEntry b : behind) {
                    putBack(tx, b, notBefore);
                }
                return null;
            });
        } finally {
            for (int i = 0; i < behind.size(); i++) {
                slots.release();
            }
            finished(e);
        }
    }

    private void putBack(InboxTransaction tx, OutboxEntry e, Instant notBefore) {
        tx.outboxEntry(e.id()).filter(cur -> cur.status() == OutboxEntry.Status.PENDING).ifPresent(cur ->
                tx.updateOutbox(new OutboxEntry(cur.id(), cur.tenant(), cur.message(), cur.status(), cur.attempts(),
                        notBefore, cur.lastError(), Optional.empty(), Optional.empty(), cur.createdAt(),
                        clock.instant())));
    }

    /** Parts of one message go out in order: a part waits while the part before it is still pending. */
    private boolean previousPartSent(OutboxEntry e) {
        if (e.message().part() == 0) {
            return true;
        }
        String previousId = e.message().messageId().value() + ":" + (e.message().part() - 1);
        Optional<OutboxEntry> previous = store.inTransaction(tx -> tx.outboxEntry(previousId));
        if (previous.isEmpty() || previous.get().status() != OutboxEntry.Status.PENDING) {
            return true;
        }
        Instant later = previous.get().nextAttemptAt();
        Instant notBefore = later.isAfter(clock.instant()) ? later : clock.instant().plus(settings.pollInterval());
        putBackWithLane(e, notBefore);
        return false;
    }

    private void send(Channel ch, OutboxEntry e, SendPacer.Permit permit) {
        InboxObserver.Send observed = observer.sendStarted(ch, e);
        CompletableFuture<SendReceipt> result;
        try {
            result = ch.send(e.message()).toCompletableFuture();
        } catch (RuntimeException ex) {
            result = CompletableFuture.failedFuture(ex);
        } finally {
            permit.started();
        }
        result.orTimeout(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((receipt, err) -> {
                    try (LogContext mdc = LogContext.of(e.tenant(), e.message().channel())) {
                        SendFailure failure = err == null ? null : failureOf(err);
                        OutboxRecorder.Recorded recorded = recordOutcome(e, new OutboxRecorder.Outcome(receipt,
                                failure, ch.deduplicatesSendsByIdempotencyKey()));
                        Optional<Instant> retryAt = recorded.retryAt();
                        if (recorded.rekeyed()) {
                            // the platform took the call, but for another message: not a send of this row
                            failure = new SendFailure(FailureKind.UNAVAILABLE, Optional.empty(), Optional.empty(),
                                    "the platform deduplicated the send against another message; sent again"
                                            + " under a new idempotency key");
                        }
                        observed.finished(Optional.ofNullable(failure), retryAt);
                        if (retryAt.isPresent() && failure != null && failure.kind() == FailureKind.RATE_LIMITED) {
                            backPressure(ch, e, retryAt.get());
                        }
                    } catch (RuntimeException ex) {
                        log.error("Outbox row {}: handling the outcome failed", e.id(), ex);
                    } finally {
                        finished(e);
                    }
                }, senders);
    }

    /**
     * A 429: the recipient's other rows wait for the same instant (and then go in order), on this node and, when the
     * store shares pacing, on every node.
     */
    private void backPressure(Channel ch, OutboxEntry e, Instant until) {
        String recipient = e.message().recipient().platformUserId();
        long wait = Duration.between(clock.instant(), until).toNanos();
        pacer.pause(e.tenant(), ch.id(), ch.capabilities(), recipient, System.nanoTime() + wait, until);
        cluster.ifPresent(c -> {
            try {
                store.inTransaction(tx -> {
                    c.pause(tx, e.tenant(), ch.id(), recipient, until);
                    return null;
                });
            } catch (RuntimeException ex) {
                log.warn("Could not share the retry-after of {} with other nodes: {}", e.id(), ex.toString());
            }
        });
    }

    /** Records an outcome and wakes the claimer when the row is due again. */
    private Optional<Instant> record(OutboxEntry e, OutboxRecorder.Outcome outcome) {
        return recordOutcome(e, outcome).retryAt();
    }

    private OutboxRecorder.Recorded recordOutcome(OutboxEntry e, OutboxRecorder.Outcome outcome) {
        OutboxRecorder.Recorded recorded = recorder.record(e, outcome);
        recorded.retryAt().ifPresent(at -> {
            long delay = Math.max(0, Duration.between(clock.instant(), at).toNanos());
            timer.schedule(wakeup::signal, delay, TimeUnit.NANOSECONDS);
        });
        return recorded;
    }

    private SendFailure failureOf(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof ChannelException ce) {
            return ce.failure();
        }
        if (cause instanceof TimeoutException) {
            return new SendFailure(FailureKind.UNAVAILABLE, Optional.empty(), Optional.empty(),
                    "send timed out after " + settings.sendTimeout().toMillis() + " ms");
        }
        return new SendFailure(FailureKind.UNAVAILABLE, Optional.empty(), Optional.empty(),
                "send failed: " + cause);
    }
}
