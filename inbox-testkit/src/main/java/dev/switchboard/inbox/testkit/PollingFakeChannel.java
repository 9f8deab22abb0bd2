package dev.switchboard.inbox.testkit;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.ChannelLifecycle;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Content;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A long-polling channel against an in-process {@link Platform} that behaves like Telegram's {@code getUpdates}: the
 * platform keeps every update until the channel confirms it, and the channel confirms an update only after the inbox
 * committed it (ack after commit), so an update whose delivery failed (the database was down) is delivered again by the
 * next poll. Runs its own poll thread between {@link #start} and {@link #stop}, reports its health, and is restartable
 * unless built with {@link #singleUse}, which refuses a second start the way a channel without restart support does.
 */
public final class PollingFakeChannel implements Channel {

    /** The platform side: the updates customers sent and the channel has not confirmed yet. */
    public static final class Platform {
        private final List<Update> pending = new ArrayList<>();
        private final AtomicInteger counter = new AtomicInteger();

        /** A customer writes: a new update, kept until a channel confirms it. */
        public synchronized int post(String user, String text) {
            int n = counter.incrementAndGet();
            pending.add(new Update(n, user, text));
            notifyAll();
            return n;
        }

        /**
         * Long polling, as {@code getUpdates} with a timeout: answers at once when updates are pending, otherwise
         * when one is posted or after {@code timeoutMillis} with none.
         */
        synchronized List<Update> poll(long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            long left;
            while (pending.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return List.copyOf(pending);
        }

        synchronized void confirm(List<Update> updates) {
            pending.removeAll(updates);
        }

        public synchronized int unconfirmed() {
            return pending.size();
        }
    }

    record Update(int id, String user, String text) {
    }

    /** How long one poll waits for an update, as a long-polling platform holds the request. */
    private static final long LONG_POLL_MILLIS = 1_000;
    /** The pause after a failed delivery before the updates are delivered again. */
    private static final long RETRY_PAUSE_MILLIS = 20;

    private final TenantId tenant;
    private final ChannelId id;
    private final Platform platform;
    private final boolean singleUse;
    private final ChannelLifecycle lifecycle;
    private final ChannelHealthTracker health = new ChannelHealthTracker();
    private final AtomicInteger starts = new AtomicInteger();
    private volatile Thread poller;
    private volatile boolean stopped;

    private PollingFakeChannel(TenantId tenant, String id, Platform platform, boolean singleUse) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.id = ChannelId.of(id);
        this.platform = Objects.requireNonNull(platform, "platform");
        this.singleUse = singleUse;
        this.lifecycle = new ChannelLifecycle(tenant + "/" + id);
    }

    /** A restartable polling channel. */
    public static PollingFakeChannel restartable(TenantId tenant, String id, Platform platform) {
        return new PollingFakeChannel(tenant, id, platform, false);
    }

    /** A channel that can be started once only, like channels written before restarts were required. */
    public static PollingFakeChannel singleUse(TenantId tenant, String id, Platform platform) {
        return new PollingFakeChannel(tenant, id, platform, true);
    }

    @Override
    public ChannelId id() {
        return id;
    }

    @Override
    public ChannelType type() {
        return ChannelType.TELEGRAM;
    }

    @Override
    public TenantId tenant() {
        return tenant;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().receiveMode(ReceiveMode.POLLING).build();
    }

    @Override
    public synchronized CompletionStage<Void> start(InboundSink sink) {
        if (singleUse && stopped) {
            throw new IllegalStateException("channel " + id + " was stopped");
        }
        lifecycle.begin();
        starts.incrementAndGet();
        health.starting();
        Thread t = new Thread(() -> pollLoop(sink), "fake-poller-" + tenant.value() + "-" + id.value());
        t.setDaemon(true);
        poller = t;
        t.start();
        health.up();
        return CompletableFuture.completedFuture(null);
    }

    private void pollLoop(InboundSink sink) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<Update> updates = platform.poll(LONG_POLL_MILLIS);
                if (updates.isEmpty()) {
                    continue;
                }
                List<InboundEvent.MessageReceived> events = updates.stream().map(this::event).toList();
                try {
                    sink.deliverAll(events).toCompletableFuture().get(30, TimeUnit.SECONDS);
                    platform.confirm(updates);
                    health.received();
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    // not stored: leave the updates unconfirmed; the next poll delivers them again, after a pause
                    // so an outage is not retried hot (the updates are still pending, so a poll would answer at once)
                    health.degraded(ChannelHealth.Problem.UNREACHABLE, "delivery failed: " + e,
                            java.util.Optional.empty());
                    TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private InboundEvent.MessageReceived event(Update u) {
        ChannelAccount account = ChannelAccount.of(tenant, id, u.user(), Profile.named("User " + u.user()));
        return InboundEvent.MessageReceived.of("update-" + u.id(), account, Instant.now(), "message-" + u.id(),
                Content.text(u.text()));
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        health.sent();
        return CompletableFuture.completedFuture(new SendReceipt(id.value() + "-out-" + message.idempotencyKey(),
                Instant.now()));
    }

    @Override
    public synchronized CompletionStage<Void> stop() {
        if (lifecycle.end()) {
            stopped = true;
            Thread t = poller;
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            health.stopped();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public ChannelHealth health() {
        return health.snapshot();
    }

    public boolean isRunning() {
        return lifecycle.isRunning();
    }

    public int startCount() {
        return starts.get();
    }

    @Override
    public String toString() {
        return "PollingFakeChannel[" + tenant + "/" + id + "]";
    }
}
