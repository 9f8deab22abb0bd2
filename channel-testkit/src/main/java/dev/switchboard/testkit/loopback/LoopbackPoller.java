package dev.switchboard.testkit.loopback;

import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver: one run of the poll loop, from {@link #start()} to {@link #stop()}, on a daemon thread named with the
 * tenant and channel id. It advances its cursor (which acknowledges updates to the platform) only after the sink's
 * stage completed, so an update whose commit failed is fetched again. Built by the channel at each start.
 */
final class LoopbackPoller {
    private static final Logger log = LoggerFactory.getLogger(LoopbackPoller.class);

    private final LoopbackConfig config;
    private final LoopbackPlatform platform;
    private final LoopbackInboundMapper mapper;
    private final InboundSink sink;
    private final ChannelHealthTracker health;
    private final LongConsumer acknowledged;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Thread thread;
    private volatile long cursor;

    /**
     * A loop that starts after {@code cursor} (the last acknowledged position, kept by the channel across runs, as a
     * Telegram bot's offset lives on after a restart) and reports each newly acknowledged position.
     */
    LoopbackPoller(LoopbackConfig config, LoopbackPlatform platform, LoopbackInboundMapper mapper, InboundSink sink,
                   ChannelHealthTracker health, long cursor, LongConsumer acknowledged) {
        this.config = config;
        this.platform = platform;
        this.mapper = mapper;
        this.sink = sink;
        this.health = health;
        this.cursor = cursor;
        this.acknowledged = acknowledged;
        this.thread = new Thread(this::run, "loopback-poll-" + config.tenant() + "/" + config.channelId());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Ends the loop (waking a pending long poll); completes when the thread is gone. */
    CompletionStage<Void> stop() {
        stopping.countDown();
        thread.interrupt();
        return done.copy();
    }

    private void run() {
        try {
            while (stopping.getCount() > 0) {
                List<LoopbackPlatform.Update> updates = platform.poll(config.token(), cursor, config.pollWait());
                if (updates.isEmpty() || stopping.getCount() == 0) {
                    continue;
                }
                try {
                    commit(updates).toCompletableFuture().get();
                    // Only now is it safe to acknowledge: the next poll starts after these updates.
                    cursor = updates.get(updates.size() - 1).position();
                    acknowledged.accept(cursor);
                    health.received();
                } catch (ExecutionException e) {
                    // Not stored: keep the cursor so the same updates come again, and back off (waking on stop).
                    log.warn("{}: inbox did not commit {} updates, will fetch them again: {}", config.channelId(),
                            updates.size(), e.getCause().toString());
                    if (stopping.await(config.retryBackoff().toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("{}: poll loop failed", config.channelId(), e);
        } finally {
            done.complete(null);
        }
    }

    /** Maps one page of updates and hands them to the sink in order: events in batches, rejects where they stand. */
    private CompletionStage<Void> commit(List<LoopbackPlatform.Update> updates) {
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        List<InboundEvent> batch = new ArrayList<>();
        for (LoopbackPlatform.Update u : updates) {
            LoopbackInboundMapper.Outcome outcome = mapper.map(u);
            if (outcome instanceof LoopbackInboundMapper.Rejected rejected) {
                List<InboundEvent> before = List.copyOf(batch);
                batch.clear();
                chain = chain.thenCompose(v -> sink.deliverAll(before)).thenCompose(v -> sink.reject(rejected.input()));
            } else {
                batch.add(((LoopbackInboundMapper.Mapped) outcome).event());
            }
        }
        List<InboundEvent> rest = List.copyOf(batch);
        return chain.thenCompose(v -> sink.deliverAll(rest));
    }
}
