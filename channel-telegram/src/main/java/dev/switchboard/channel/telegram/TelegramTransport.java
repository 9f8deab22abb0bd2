package dev.switchboard.channel.telegram;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP resources Telegram channels share: one OkHttp client (dispatcher and connection pool, bounded by
 * {@link Builder#maxConcurrentRequests}) for Bot API calls and uploads, one non-blocking JDK {@link HttpClient} that
 * holds every bot's long poll open without a thread per bot, a small callback pool and one timer thread for retries.
 * By default every channel uses {@link #shared()}, so a node with a thousand bots has the threads of one transport,
 * not a thousand; a host may build its own (to bound a group of bots separately) and pass it to
 * {@link TelegramChannel.Builder#transport}.
 *
 * <p>Threads exist only while some channel uses them: when the last channel stops and its calls complete, the
 * dispatcher's, callback and timer threads end and the pooled connections are closed, so a stopped channel leaves no
 * threads behind (the JDK client's one selector thread excepted); the next start or send creates threads again on
 * demand. All threads are daemon threads named {@code switchboard-telegram-*}. Thread-safe.
 */
public final class TelegramTransport {
    private static final Logger log = LoggerFactory.getLogger(TelegramTransport.class);
    private static final TelegramTransport SHARED = builder().build();
    private static final long BUSY_KEEP_ALIVE_MS = 30_000;

    private final int maxConcurrentRequests;
    private final int callbackThreads;
    private final Duration connectTimeout;
    private final String threadPrefix;
    private final OkHttpClient hostClient;
    private Resources resources;
    private int users;

    private TelegramTransport(int maxConcurrentRequests, int callbackThreads, Duration connectTimeout,
                              String threadPrefix, OkHttpClient hostClient) {
        this.maxConcurrentRequests = maxConcurrentRequests;
        this.callbackThreads = callbackThreads;
        this.connectTimeout = connectTimeout;
        this.threadPrefix = threadPrefix;
        this.hostClient = hostClient;
    }

    /** The transport every channel uses unless it is given another one: 64 concurrent Bot API calls per node. */
    public static TelegramTransport shared() {
        return SHARED;
    }

    /**
     * A transport over a host's own OkHttp client (its dispatcher, pool, proxy, interceptors), which the transport
     * never shuts down. Long polls then go through that client too, one dispatcher thread per polling bot, so give its
     * dispatcher room for as many polls as bots plus the sends.
     */
    public static TelegramTransport using(OkHttpClient hostClient) {
        Objects.requireNonNull(hostClient, "hostClient");
        return new TelegramTransport(0, 2, Duration.ofSeconds(10), "switchboard-telegram", hostClient);
    }

    /** Builds a transport of its own, e.g. to bound a group of bots separately from {@link #shared()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Takes a use of the resources, creating them on first use; every use must be {@link Use#close closed}. */
    synchronized Use acquire() {
        if (resources == null) {
            resources = create();
        }
        if (users++ == 0) {
            resources.busy();
        }
        return new Use(resources);
    }

    /** How many uses are open (channels running plus calls in flight); for tests. */
    synchronized int users() {
        return users;
    }

    private synchronized void release() {
        if (--users == 0) {
            resources.idle();
        }
    }

    private Resources create() {
        OkHttpClient ok;
        boolean ownsOk = hostClient == null;
        ThreadPoolExecutor callbacks = new ThreadPoolExecutor(callbackThreads, callbackThreads, BUSY_KEEP_ALIVE_MS,
                TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), daemon(threadPrefix + "-io-"));
        callbacks.allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon(threadPrefix + "-timer-"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(BUSY_KEEP_ALIVE_MS, TimeUnit.MILLISECONDS);
        timer.allowCoreThreadTimeOut(true);
        ThreadPoolExecutor dispatcherPool = null;
        LongPollClient polls;
        if (ownsOk) {
            dispatcherPool = new ThreadPoolExecutor(0, maxConcurrentRequests, BUSY_KEEP_ALIVE_MS,
                    TimeUnit.MILLISECONDS, new SynchronousQueue<>(), daemon(threadPrefix + "-http-"));
            Dispatcher dispatcher = new Dispatcher(dispatcherPool);
            // every bot talks to the same host: the per-host bound is the global bound
            dispatcher.setMaxRequests(maxConcurrentRequests);
            dispatcher.setMaxRequestsPerHost(maxConcurrentRequests);
            ok = new OkHttpClient.Builder().dispatcher(dispatcher)
                    .connectionPool(new ConnectionPool(Math.min(maxConcurrentRequests, 16), 1, TimeUnit.MINUTES))
                    .connectTimeout(connectTimeout)
                    .readTimeout(Duration.ofSeconds(30))
                    .writeTimeout(Duration.ofSeconds(30))
                    .addNetworkInterceptor(new SpacedDepartures())
                    .build();
            if (ForkJoinPool.getCommonPoolParallelism() < 2) {
                // The JDK client hands every answer through CompletableFuture's default pool, which on a machine
                // with one or two cores is a new thread per task: a thread per long-poll answer, and seconds of
                // delay under load.
                log.warn("Telegram transport: the JVM's common pool has parallelism {}, so the JDK HTTP client "
                        + "starts a thread for every long-poll answer; start the JVM with "
                        + "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2 (or more) on small machines",
                        ForkJoinPool.getCommonPoolParallelism());
            }
            HttpClient jdk = HttpClient.newBuilder().executor(callbacks).connectTimeout(connectTimeout)
                    .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
            polls = new JdkLongPollClient(jdk);
        } else {
            // a derived client shares the host's dispatcher and connection pool
            ok = hostClient.newBuilder().addNetworkInterceptor(new SpacedDepartures()).build();
            polls = new OkHttpLongPollClient(hostClient);
        }
        return new Resources(ok, dispatcherPool, polls, callbacks, timer);
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "TelegramTransport[" + (hostClient != null ? "host client" : "maxConcurrentRequests="
                + maxConcurrentRequests) + ", users=" + users() + "]";
    }

    /**
     * The transport's resources, created on first use and kept for its lifetime. When nobody uses them the pools'
     * keep-alive drops to a millisecond, so their idle threads end at once, and the pooled connections are evicted;
     * the next use restores the keep-alive and threads are created again on demand. Shrinking instead of shutting
     * down means a channel that only sends (polled by another node) does not rebuild the clients on every send.
     */
    record Resources(OkHttpClient okHttp, ThreadPoolExecutor ownDispatcherPool, LongPollClient polls,
                     ThreadPoolExecutor callbacks, ScheduledThreadPoolExecutor timer) {
        void busy() {
            setKeepAlive(BUSY_KEEP_ALIVE_MS);
        }

        void idle() {
            setKeepAlive(1);
            if (ownDispatcherPool != null) {
                okHttp.connectionPool().evictAll();
            }
        }

        private void setKeepAlive(long millis) {
            // a shorter keep-alive interrupts the idle workers, which then end
            callbacks.setKeepAliveTime(millis, TimeUnit.MILLISECONDS);
            timer.setKeepAliveTime(millis, TimeUnit.MILLISECONDS);
            if (ownDispatcherPool != null) {
                ownDispatcherPool.setKeepAliveTime(millis, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** An open use of the transport's resources; {@link #close()} once, when the channel or call is done. */
    final class Use implements AutoCloseable {
        private final Resources resources;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        private Use(Resources resources) {
            this.resources = resources;
        }

        Resources resources() {
            return resources;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release();
            }
        }
    }

    /** Options of a {@link TelegramTransport}; {@link #build()} checks them. */
    public static final class Builder {
        private int maxConcurrentRequests = 64;
        private int callbackThreads = 2;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private String threadNamePrefix = "switchboard-telegram";

        private Builder() {
        }

        /** Bot API calls (sends, uploads, downloads) in flight at once across all bots of this transport, 1-1024. */
        public Builder maxConcurrentRequests(int maxConcurrentRequests) {
            this.maxConcurrentRequests = maxConcurrentRequests;
            return this;
        }

        /** Threads that process long-poll answers, 1-64 (default 2; they only parse and hand over). */
        public Builder callbackThreads(int callbackThreads) {
            this.callbackThreads = callbackThreads;
            return this;
        }

        /** TCP/TLS connect timeout, 1 s - 5 min. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** The prefix of the transport's thread names (default {@code switchboard-telegram}). */
        public Builder threadNamePrefix(String threadNamePrefix) {
            this.threadNamePrefix = threadNamePrefix;
            return this;
        }

        public TelegramTransport build() {
            if (maxConcurrentRequests < 1 || maxConcurrentRequests > 1024) {
                throw new IllegalStateException("maxConcurrentRequests must be 1-1024, got " + maxConcurrentRequests);
            }
            if (callbackThreads < 1 || callbackThreads > 64) {
                throw new IllegalStateException("callbackThreads must be 1-64, got " + callbackThreads);
            }
            if (connectTimeout == null || connectTimeout.compareTo(Duration.ofSeconds(1)) < 0
                    || connectTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalStateException("connectTimeout must be 1 s - 5 min, got " + connectTimeout);
            }
            if (threadNamePrefix == null || threadNamePrefix.isBlank()) {
                throw new IllegalStateException("threadNamePrefix must not be blank, got '" + threadNamePrefix + "'");
            }
            return new TelegramTransport(maxConcurrentRequests, callbackThreads, connectTimeout, threadNamePrefix,
                    null);
        }
    }
}
