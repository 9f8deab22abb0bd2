package dev.switchboard.channel.email;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every {@link EmailChannel} of a process shares, so that the cost of a mailbox does not include threads
 * of its own: one scheduler for poll timers and IDLE re-issue timers, a bounded pool running receive passes (read new
 * mail, hand it to the inbox, wait for its commit), a bounded number of IDLE slots (an IMAP IDLE blocks a thread for
 * as long as it waits, so at most {@code idleConnections} mailboxes idle at once; the others poll at their poll
 * interval), and a bounded pool for SMTP sends and media fetches. A mailbox costs one open IMAP connection and, while
 * it idles, one IDLE thread; 1,000 mailboxes with the defaults use at most 1 + 1 + 4 + 32 + 4 threads, not 3,000 (the second is
 * the write-timeout timer of every mailbox's sockets).
 *
 * <p>Channels use {@link #shared()} unless their builder is given other resources. Threads are daemons and are
 * created lazily. A host that builds its own instance closes it after stopping the channels using it. Thread-safe.
 */
public final class EmailResources implements AutoCloseable {
    private static final class Holder {
        static final EmailResources SHARED = builder().build();
    }

    private final ScheduledExecutorService scheduler;
    private final ScheduledThreadPoolExecutor writeTimeouts;
    private final ThreadPoolExecutor receivePool;
    private final ThreadPoolExecutor idlePool;
    private final ThreadPoolExecutor sendPool;
    private final Semaphore idleSlots;
    private final int idleConnections;

    private EmailResources(Builder b) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("switchboard-email-timer"));
        // Angus Mail starts a timer thread for every socket with a write timeout unless it is given one: two IMAP
        // connections per mailbox made 200 threads for 100 mailboxes. One shared timer serves them all; a write
        // schedules a task and cancels it when done, so cancelled tasks must leave the queue at once.
        this.writeTimeouts = new ScheduledThreadPoolExecutor(1, daemon("switchboard-email-write-timeout"));
        this.writeTimeouts.setRemoveOnCancelPolicy(true);
        this.receivePool = bounded(b.receiveThreads, "switchboard-email-receive");
        this.idlePool = bounded(Math.max(1, b.idleConnections), "switchboard-email-idle");
        this.sendPool = bounded(b.sendThreads, "switchboard-email-send");
        this.idleSlots = new Semaphore(b.idleConnections);
        this.idleConnections = b.idleConnections;
    }

    /** The process-wide default: 4 receive threads, 32 IDLE connections, 4 send threads. */
    public static EmailResources shared() {
        return Holder.SHARED;
    }

    /** Resources of a host's own sizing. */
    public static Builder builder() {
        return new Builder();
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The timer Angus Mail uses for every socket's write timeout ({@code mail.<protocol>.executor.writetimeout}). */
    ScheduledExecutorService writeTimeouts() {
        return writeTimeouts;
    }

    ExecutorService receivePool() {
        return receivePool;
    }

    ExecutorService idlePool() {
        return idlePool;
    }

    ExecutorService sendPool() {
        return sendPool;
    }

    /** Takes an IDLE slot if one is free; the caller gives it back with {@link #releaseIdleSlot()}. */
    boolean tryAcquireIdleSlot() {
        return idleSlots.tryAcquire();
    }

    void releaseIdleSlot() {
        idleSlots.release();
    }

    /** How many mailboxes may wait in IMAP IDLE at once. */
    public int idleConnections() {
        return idleConnections;
    }

    /** Stops the threads; channels using these resources must be stopped first. The shared instance ignores this. */
    @Override
    public void close() {
        if (this == Holder.SHARED) {
            return;
        }
        scheduler.shutdownNow();
        writeTimeouts.shutdownNow();
        receivePool.shutdownNow();
        idlePool.shutdownNow();
        sendPool.shutdownNow();
    }

    private static ThreadPoolExecutor bounded(int threads, String name) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon(name));
        pool.allowCoreThreadTimeOut(true); // idle processes hold no threads
        return pool;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "EmailResources[receiveThreads=" + receivePool.getMaximumPoolSize() + ", idleConnections="
                + idleConnections + ", sendThreads=" + sendPool.getMaximumPoolSize() + "]";
    }

    /** Sizes the pools; every bound is checked at {@link #build()}. */
    public static final class Builder {
        private int receiveThreads = 4;
        private int idleConnections = 32;
        private int sendThreads = 4;

        private Builder() {
        }

        /** Threads reading mailboxes and waiting for the inbox's commits (1..256, default 4). */
        public Builder receiveThreads(int n) {
            this.receiveThreads = n;
            return this;
        }

        /** Mailboxes that may wait in IMAP IDLE at once, one thread each (0..4096, default 32; 0 = always poll). */
        public Builder idleConnections(int n) {
            this.idleConnections = n;
            return this;
        }

        /** Threads sending mail and fetching media over IMAP (1..256, default 4). */
        public Builder sendThreads(int n) {
            this.sendThreads = n;
            return this;
        }

        public EmailResources build() {
            check("receiveThreads", receiveThreads, 1, 256);
            check("idleConnections", idleConnections, 0, 4096);
            check("sendThreads", sendThreads, 1, 256);
            return new EmailResources(this);
        }

        private static void check(String option, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", got " + value);
            }
        }
    }
}
