package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox on this node. One claimer thread claims due rows under a lease; rows for the same recipient go
 * through a lane one at a time in message/part order (so a split message arrives in order); each send waits for its
 * rate-limit slot (or, if that is far off, goes back to the table with {@code nextAttemptAt} at the slot) and runs
 * with a timeout; the outcome is recorded in a transaction: sent, retry later (the platform's retry-after exactly,
 * else exponential backoff with jitter), or failed with the reason. Internal.
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
    private final Runnable afterCommit;
    private final SendPacer pacer = new SendPacer();
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
        this.afterCommit = afterCommit;
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

    void close(Duration timeout) {
        running = false;
        wakeup.signal();
        try {
            claimer.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        senders.shutdown();
        try {
            senders.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.shutdownNow();
    }

    // ---- claiming ------------------------------------------------------------------------------------------------

    private void claimLoop() {
        while (running) {
            try {
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
            Optional<Channel> channel = channels.apply(e);
            if (channel.isEmpty()) {
                record(e, null, new SendFailure(FailureKind.UNAVAILABLE, Optional.empty(), Optional.empty(),
                        "channel " + e.message().channel() + " is not configured on node " + nodeId));
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
     * Sends as soon as the channel's rate limits allow: waits in memory (on the timer, holding no thread) for a
     * permit that frees up soon, puts the row back in the table with its next attempt at the permit time otherwise.
     */
    private void pace(Channel ch, OutboxEntry e) {
        try (LogContext mdc = LogContext.of(e.tenant(), ch.id())) {
            SendPacer.Permit permit = pacer.tryAcquire(e.tenant(), ch.id(), ch.capabilities(),
                    e.message().recipient().platformUserId());
            if (permit.granted()) {
                send(ch, e, permit);
                return;
            }
            long wait = Math.max(0, permit.retryAtNanos() - System.nanoTime());
            observer.sendPaced(ch, e, Duration.ofNanos(wait));
            if (wait <= MAX_PACING_WAIT.toNanos()) {
                timer.schedule(() -> senders.execute(() -> pace(ch, e)), wait, TimeUnit.NANOSECONDS);
                return;
            }
            putBackWithLane(e, permit.pausedUntil().orElseGet(() -> clock.instant().plusNanos(wait)));
            timer.schedule(wakeup::signal, wait, TimeUnit.NANOSECONDS);
        } catch (RuntimeException ex) {
            log.error("Outbox row {} could not be paced; it will be retried when its lease expires", e.id(), ex);
            finished(e);
        }
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
                        Instant retryAt = record(e, receipt, failure);
                        observed.finished(Optional.ofNullable(failure), Optional.ofNullable(retryAt));
                        if (retryAt != null && failure.kind() == FailureKind.RATE_LIMITED
                                && failure.retryAfter().isPresent()) {
                            // the recipient's other rows wait for the same instant (and then go in order)
                            long wait = Duration.between(clock.instant(), retryAt).toNanos();
                            pacer.pause(e.tenant(), ch.id(), ch.capabilities(),
                                    e.message().recipient().platformUserId(), System.nanoTime() + wait, retryAt);
                        }
                    } catch (RuntimeException ex) {
                        log.error("Could not record the outcome of outbox row {}; it will be retried when its lease"
                                + " expires", e.id(), ex);
                    } finally {
                        finished(e);
                    }
                }, senders);
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

    // ---- recording -----------------------------------------------------------------------------------------------

    /** Records a send's outcome; returns the next attempt's instant when the row will be retried, else null. */
    private Instant record(OutboxEntry e, SendReceipt receipt, SendFailure failure) {
        Instant now = clock.instant();
        boolean[] changed = {false};
        Instant retryAt = store.inTransaction(tx -> {
            Optional<OutboxEntry> current = tx.outboxEntry(e.id());
            if (current.isEmpty() || current.get().status() != OutboxEntry.Status.PENDING) {
                return null; // already recorded (by another node after our lease expired)
            }
            OutboxEntry cur = current.get();
            int attempts = cur.attempts() + 1;
            if (failure == null) {
                tx.updateOutbox(with(cur, OutboxEntry.Status.SENT, attempts, cur.nextAttemptAt(), cur.lastError(),
                        now));
                messageSent(tx, cur, receipt, now);
                changed[0] = true;
                return null;
            }
            String reason = failure.kind() + ": " + failure.description()
                    + failure.platformCode().map(c -> " (code " + c + ")").orElse("");
            if (failure.retryable() && attempts < settings.maxAttempts()) {
                Instant next = now.plus(failure.retryAfter().orElseGet(() -> backoff(attempts)));
                tx.updateOutbox(with(cur, OutboxEntry.Status.PENDING, attempts, next, Optional.of(reason), now));
                log.debug("Outbox row {} attempt {} failed ({}); next attempt at {}", cur.id(), attempts, reason,
                        next);
                return next;
            }
            String finalReason = failure.retryable() ? reason + " (gave up after " + attempts + " attempts)" : reason;
            tx.updateOutbox(with(cur, OutboxEntry.Status.FAILED, attempts, cur.nextAttemptAt(),
                    Optional.of(finalReason), now));
            messageFailed(tx, cur, finalReason, now);
            changed[0] = true;
            return null;
        });
        if (retryAt != null) {
            long delay = Math.max(0, Duration.between(clock.instant(), retryAt).toNanos());
            timer.schedule(wakeup::signal, delay, TimeUnit.NANOSECONDS);
        }
        if (changed[0]) {
            afterCommit.run();
        }
        return retryAt;
    }

    private Duration backoff(int attempts) {
        long base = settings.baseBackoff().toMillis();
        long cap = settings.maxBackoff().toMillis();
        long exp = attempts >= 31 ? cap : Math.min(cap, base << Math.min(attempts - 1, 30));
        long jittered = exp - (long) (exp * settings.jitter() * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.max(1, jittered));
    }

    private static OutboxEntry with(OutboxEntry cur, OutboxEntry.Status status, int attempts, Instant next,
                                    Optional<String> error, Instant now) {
        return new OutboxEntry(cur.id(), cur.tenant(), cur.message(), status, attempts, next, error,
                Optional.empty(), Optional.empty(), cur.createdAt(), now);
    }

    /** All rows of one stored message, in part order. */
    private static List<OutboxEntry> parts(InboxTransaction tx, MessageId message) {
        List<OutboxEntry> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            Optional<OutboxEntry> p = tx.outboxEntry(message.value() + ":" + i);
            if (p.isEmpty()) {
                return out;
            }
            out.add(p.get());
        }
    }

    private void messageSent(InboxTransaction tx, OutboxEntry row, SendReceipt receipt, Instant now) {
        TenantId tenant = row.tenant();
        Optional<Message> stored = tx.message(tenant, row.message().messageId());
        if (stored.isEmpty()) {
            return;
        }
        Message msg = stored.get();
        boolean allSent = parts(tx, msg.id()).stream().allMatch(p -> p.status() == OutboxEntry.Status.SENT);
        boolean becomesSent = allSent && DeliveryStatus.SENT.isAfter(msg.status());
        // The message keeps the platform id of its latest part, so delivery and read receipts for it find the message.
        tx.saveMessage(msg.withStatus(becomesSent ? DeliveryStatus.SENT : msg.status(),
                Optional.of(receipt.platformMessageId()), msg.failureReason()));
        if (becomesSent) {
            tx.appendEvent(Events.of(tenant, InboxEvent.Type.DELIVERY_STATUS_CHANGED, msg.conversation(), msg.id(),
                    msg.customer(), now, "channel", msg.channel().value(), "status", DeliveryStatus.SENT.name(),
                    "platformMessageId", receipt.platformMessageId(), "source", "outbox"));
        }
    }

    private void messageFailed(InboxTransaction tx, OutboxEntry row, String reason, Instant now) {
        TenantId tenant = row.tenant();
        // The rest of a message whose part failed would arrive without its beginning: fail those parts too.
        for (OutboxEntry p : parts(tx, row.message().messageId())) {
            if (p.status() == OutboxEntry.Status.PENDING && !p.id().equals(row.id())) {
                tx.updateOutbox(with(p, OutboxEntry.Status.FAILED, p.attempts(), p.nextAttemptAt(),
                        Optional.of("part " + row.message().part() + " of this message failed: " + reason), now));
            }
        }
        Optional<Message> stored = tx.message(tenant, row.message().messageId());
        if (stored.isEmpty() || !DeliveryStatus.FAILED.isAfter(stored.get().status())) {
            return;
        }
        Message msg = stored.get();
        tx.saveMessage(msg.withStatus(DeliveryStatus.FAILED, msg.platformMessageId(), Optional.of(reason)));
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.DELIVERY_STATUS_CHANGED, msg.conversation(), msg.id(),
                msg.customer(), now, "channel", msg.channel().value(), "status", DeliveryStatus.FAILED.name(),
                "reason", reason, "source", "outbox"));
    }
}
