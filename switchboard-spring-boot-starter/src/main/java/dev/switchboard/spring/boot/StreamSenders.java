package dev.switchboard.spring.boot;

import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.springframework.context.SmartLifecycle;

/**
 * The threads that write the channels' stream frames, so that {@code StreamSession.send} never blocks its caller (a
 * channel may send under its own locks) while a servlet container's WebSocket and SSE writes do block: each stream
 * gets a {@link Lane} that writes its frames in call order, one at a time, on these threads. Closed with the
 * application context. Open streams are closed ("going away") when the context stops, before the web server's
 * graceful shutdown, which would otherwise wait for them as for any active request. One more thread (started with the
 * first stream) times the streams' heartbeats. Internal.
 */
final class StreamSenders implements AutoCloseable, SmartLifecycle {
    private final Set<Runnable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "switchboard-stream-send-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "switchboard-stream-heartbeat");
        t.setDaemon(true);
        return t;
    });

    StreamSenders() {
        timer.setRemoveOnCancelPolicy(true);
    }

    /** One blocking write. */
    @FunctionalInterface
    interface Write {
        void run() throws Exception;
    }

    /** A new lane for one stream; {@code failed} hears a write that threw (the stream should be ended). */
    Lane lane(Consumer<Exception> failed) {
        return new Lane(failed);
    }

    /** Remembers how to close an open stream when the application stops; returns what forgets it. */
    Runnable opened(Runnable goingAway) {
        Runnable once = () -> goingAway.run();
        open.add(once);
        return () -> open.remove(once);
    }

    /**
     * Runs {@code beat} every {@code interval}, each run at least {@code interval} after the previous one ended (so a
     * late timer never sends a burst); returns what stops it.
     */
    Runnable every(Duration interval, Runnable beat) {
        long nanos = interval.toNanos();
        try {
            ScheduledFuture<?> f = timer.scheduleWithFixedDelay(beat, nanos, nanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RuntimeException rejected) {
            // Shutting down: no heartbeat needed.
            return () -> { };
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Closes every open stream, so the server's graceful shutdown does not wait for them. */
    @Override
    public void stop() {
        running = false;
        for (Runnable r : open.toArray(Runnable[]::new)) {
            open.remove(r);
            r.run();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first, before the web server's graceful shutdown. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        executor.shutdownNow();
    }

    /** One stream's writes, in call order, never two at once. */
    final class Lane {
        private final Queue<Write> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();
        private final Consumer<Exception> failed;

        private Lane(Consumer<Exception> failed) {
            this.failed = failed;
        }

        void submit(Write write) {
            queue.add(write);
            schedule();
        }

        private void schedule() {
            if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
                try {
                    executor.execute(this::drain);
                } catch (RuntimeException rejected) {
                    // Shutting down: the stream ends with the application.
                    queue.clear();
                    draining.set(false);
                }
            }
        }

        private void drain() {
            try {
                for (Write w; (w = queue.poll()) != null; ) {
                    try {
                        w.run();
                    } catch (Exception e) {
                        queue.clear();
                        failed.accept(e);
                    }
                }
            } finally {
                draining.set(false);
            }
            schedule();
        }
    }
}
