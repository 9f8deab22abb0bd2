package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.identity.PreparedAccount;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox side of every channel's {@link InboundSink}: deliveries are spread over a few lanes by account (so one
 * account's events stay in order), and each lane's thread drains its queue and commits up to {@code batchSize} of
 * them in one transaction (group commit). If a group fails, its items are re-run one
 * by one so a single bad event cannot fail the others. Each delivery's stage completes only after its transaction
 * committed (ack after commit), exceptionally if it could not be stored. Internal.
 */
final class Ingestor {
    private static final Logger log = LoggerFactory.getLogger(Ingestor.class);

    private final InboxStore store;
    private final InboundHandler handler;
    private final int batchSize;
    private final Executor completions;
    private final Runnable afterCommit;
    private final WorkerHealthTracker health;
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean accepting = true;
    private volatile boolean running = true;
    /** Set by {@link Inbox} before any channel can deliver. */
    InboxObserver observer = InboxObserver.NONE;

    /** One delivery waiting to be stored: an event or rejected input, and the stage the channel waits on. */
    private record Pending(Channel channel, InboundEvent event, RejectedInput rejected, CompletableFuture<Void> done) {
    }

    Ingestor(InboxStore store, InboundHandler handler, int batchSize, int lanes, Executor completions,
             Runnable afterCommit, String nodeId, WorkerHealthTracker health) {
        this.store = store;
        this.handler = handler;
        this.batchSize = batchSize;
        this.completions = completions;
        this.afterCommit = afterCommit;
        this.health = health;
        health.aliveWhen(() -> !threads.isEmpty() && threads.stream().allMatch(Thread::isAlive));
        for (int i = 0; i < lanes; i++) {
            BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
            queues.add(queue);
            Thread t = new Thread(() -> run(queue), "switchboard-ingest-" + nodeId + "-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /** The sink handed to {@code channel}; every event is checked to belong to that channel. */
    InboundSink sinkFor(Channel channel) {
        return new InboundSink() {
            @Override
            public CompletionStage<Void> deliver(InboundEvent event) {
                if (!event.account().tenant().equals(channel.tenant()) || !event.channel().equals(channel.id())) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException("event " + event.eventId()
                            + " names account " + event.account().key() + " but was delivered by channel "
                            + channel.tenant() + "/" + channel.id()));
                }
                return submit(new Pending(channel, event, null, new CompletableFuture<>()));
            }

            @Override
            public CompletionStage<Void> deliverAll(List<? extends InboundEvent> events) {
                List<CompletableFuture<Void>> all = new ArrayList<>(events.size());
                for (InboundEvent e : events) {
                    all.add(deliver(e).toCompletableFuture());
                }
                return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
            }

            @Override
            public CompletionStage<Void> reject(RejectedInput input) {
                return submit(new Pending(channel, null, input, new CompletableFuture<>()));
            }

            @Override
            public String toString() {
                return "InboundSink[" + channel.tenant() + "/" + channel.id() + "]";
            }
        };
    }

    private CompletionStage<Void> submit(Pending p) {
        if (!accepting) {
            return CompletableFuture.failedFuture(new IllegalStateException("the inbox is closed"));
        }
        Object key = p.event != null ? p.event.account().key() : p.channel.id();
        InboxObserver.Inbound observed = observer.inboundDelivered(p.channel, Optional.ofNullable(p.event));
        p.done.whenComplete((ignored, failure) -> observed.stored(Optional.ofNullable(failure)));
        queues.get(Math.floorMod(key.hashCode(), queues.size())).add(p);
        return p.done;
    }

    /** Stops accepting, stores what is queued, and ends the thread. */
    void close(Duration timeout) {
        accepting = false;
        running = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (BlockingQueue<Pending> queue : queues) {
            Pending p;
            while ((p = queue.poll()) != null) {
                fail(p, new IllegalStateException("the inbox closed before this event was stored"));
            }
        }
    }

    private void run(BlockingQueue<Pending> queue) {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    health.ran(); // idle, and able to take work
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                process(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // never let the ingest thread die: fail what we were doing and go on
                log.error("Ingest loop failed", e);
                for (Pending p : batch) {
                    fail(p, e);
                }
            }
        }
    }

    private void process(List<Pending> batch) {
        List<Runnable> after = new ArrayList<>();
        List<Optional<PreparedAccount>> prepared = prepare(batch);
        try {
            store.inTransaction(tx -> {
                after.clear();
                if (batch.size() > 1) {
                    prefetch(tx, batch);
                }
                for (int i = 0; i < batch.size(); i++) {
                    apply(tx, batch.get(i), prepared.get(i), after);
                }
                return null;
            });
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                Pending p = batch.get(0);
                try (LogContext mdc = LogContext.of(p.channel.tenant(), p.channel.id())) {
                    failedAlone(p, e);
                }
                return;
            }
            log.debug("Group of {} failed ({}); storing its events one by one", batch.size(), e.toString());
            for (Pending p : batch) {
                process(List.of(p));
            }
            return;
        }
        health.ran();
        afterCommit.run();
        completeAll(batch, after);
    }

    /** One delivery failed on its own: quarantine a poison event, or fail the stage so the platform redelivers. */
    private void failedAlone(Pending p, Throwable e) {
        if (p.event != null && !store.isTransient(e) && quarantined(p, e)) {
            log.warn("Event {} from channel {} could not be processed and was quarantined: {}",
                    p.event.eventId(), p.channel.id(), e.toString(), e);
            afterCommit.run();
            completions.execute(() -> p.done.complete(null));
            return;
        }
        log.warn("Could not store {} from channel {}; the channel will not acknowledge it: {}",
                describe(p), p.channel.id(), e.toString());
        health.failed(e);
        fail(p, e);
    }

    private void completeAll(List<Pending> batch, List<Runnable> after) {
        for (Pending p : batch) {
            completions.execute(() -> p.done.complete(null));
        }
        for (Runnable r : after) {
            completions.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warn("After-commit action failed", e);
                }
            });
        }
    }

    /**
     * The identity work of each event that needs no store (normalising evidence, scanning message text for phones
     * and emails), done on this lane before the transaction opens. An event whose preparation fails is left
     * unprepared: the transaction redoes the work and fails the way it always did (quarantine path included).
     */
    private List<Optional<PreparedAccount>> prepare(List<Pending> batch) {
        List<Optional<PreparedAccount>> out = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            Optional<PreparedAccount> prepared = Optional.empty();
            if (p.event != null) {
                try {
                    prepared = handler.prepare(p.channel, p.event);
                } catch (RuntimeException e) {
                    log.debug("Could not prepare event {} of channel {} ahead of its transaction: {}",
                            p.event.eventId(), p.channel.id(), e.toString());
                }
            }
            out.add(prepared);
        }
        return out;
    }

    /** Tells the store which events the group will handle, per channel, so it can load what they read in bulk. */
    private static void prefetch(InboxTransaction tx, List<Pending> batch) {
        Map<Channel, List<InboundEvent>> byChannel = new LinkedHashMap<>();
        for (Pending p : batch) {
            if (p.event != null) {
                byChannel.computeIfAbsent(p.channel, c -> new ArrayList<>()).add(p.event);
            }
        }
        byChannel.forEach((channel, events) -> tx.prefetchInbound(channel.tenant(), channel.id(), events));
    }

    /**
     * After an event failed alone with a failure the store does not call transient: if the store still takes writes,
     * the event itself is the problem, so it goes to quarantine and its stage completes (nothing lost, nothing
     * blocked). If the store fails this too, it is down: the stage fails and the platform redelivers later. A transient
     * failure (a dropped connection, a timeout) never quarantines: the stage fails, and the redelivery is stored.
     */
    private boolean quarantined(Pending p, Throwable failure) {
        try {
            store.inTransaction(tx -> {
                handler.quarantineUnprocessable(tx, p.channel, p.event, failure);
                return null;
            });
            return true;
        } catch (RuntimeException | Error again) {
            failure.addSuppressed(again);
            return false;
        }
    }

    private void apply(InboxTransaction tx, Pending p, Optional<PreparedAccount> prepared, List<Runnable> after) {
        try (LogContext mdc = LogContext.of(p.channel.tenant(), p.channel.id())) {
            if (p.event != null) {
                handler.handle(tx, p.channel, p.event, prepared, after);
            } else {
                handler.reject(tx, p.channel, p.rejected);
            }
        }
    }

    private void fail(Pending p, Throwable e) {
        completions.execute(() -> p.done.completeExceptionally(e));
    }

    private static String describe(Pending p) {
        return p.event != null ? "event " + p.event.eventId() : String.valueOf(p.rejected);
    }
}
