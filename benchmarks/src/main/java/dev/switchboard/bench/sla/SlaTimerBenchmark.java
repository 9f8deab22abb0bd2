package dev.switchboard.bench.sla;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.sla.Sla;
import dev.switchboard.inbox.sla.SlaDeadline;
import dev.switchboard.inbox.sla.SlaPolicy;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The SLA timer with {@code timers} running deadlines: are breaches published within 1 s of their due times, and what
 * does a running deadline cost in memory? Everything goes through the inbox as a host runs it. (1) {@code timers}
 * customers write one message each through the inbox's ingest while the inbox's clock (a host-provided {@link Clock})
 * steps from {@code T0} over {@code spread} seconds, so first messages, and with them the deadlines, are spread evenly.
 * (2) A first-response policy ({@code target} seconds, warning at the default 80 %) is configured and every
 * conversation evaluated through {@code Sla.evaluate}, the evaluation the feed listener runs, which stores its
 * deadline; the JVM heap after a full GC before and after (2), divided by the deadlines, is the memory per timer (for
 * PostgreSQL also the table and index bytes per row). (3) The clock then runs in real time from a few seconds before
 * the first warning, and the inbox's own SLA timer publishes the warnings and breaches into the feed. Lateness of a
 * breach = its publication minus its {@code dueAt}, measured two ways: the time stamped on the stored event, and the
 * time a host listener ({@code Inbox.addListener}) received it. Before reporting, the feed is read back: every
 * conversation has exactly one warning and one breach, each breach's {@code dueAt} the stored deadline's.
 *
 * <p>{@code java -Xmx2g -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.sla.SlaTimerBenchmark} with
 * {@code -Dtimers=100000}, {@code -Dspread=100} (seconds over which the deadlines fall), {@code -Dtarget=60} (seconds),
 * {@code -Dstores=memory,postgresql}, {@code -DpgUrl=jdbc:postgresql://127.0.0.1:5432/switchboard_test},
 * {@code -DpgUser=postgres}, {@code -DkeepSchema=true} (keep the PostgreSQL schema for inspection instead of
 * dropping it; a failed feed check prints the events published twice).
 */
public final class SlaTimerBenchmark {
    private static final TenantId T = TenantId.DEFAULT;
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final int IN_FLIGHT = 512;

    private SlaTimerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int timers = Integer.getInteger("timers", 100_000);
        int spread = Integer.getInteger("spread", 100);
        int target = Integer.getInteger("target", 60);
        List<String> stores = List.of(System.getProperty("stores", "memory,postgresql").split(","));
        System.out.println("load before: " + load());
        if (stores.contains("memory")) {
            try (InMemoryInboxStore store = new InMemoryInboxStore()) {
                run("in-memory", store, Optional.empty(), timers, spread, target);
            }
        }
        if (stores.contains("postgresql")) {
            String url = System.getProperty("pgUrl", "jdbc:postgresql://127.0.0.1:5432/switchboard_test");
            String user = System.getProperty("pgUser", "postgres");
            String schema = "bench_sla_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            try (HikariDataSource pool = pool(url, user, 16)) {
                try (JdbcInboxStore store = JdbcInboxStore.builder().dataSource(pool).schema(schema).build()) {
                    run("PostgreSQL", store, Optional.of(new Pg(pool, schema)), timers, spread, target);
                } finally {
                    if (Boolean.getBoolean("keepSchema")) {
                        System.out.println("PostgreSQL schema kept for inspection: " + schema);
                    } else {
                        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                            s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
                        }
                    }
                }
            }
        }
        System.out.println("load after: " + load());
    }

    private record Pg(HikariDataSource pool, String schema) {
    }

    private static void run(String label, InboxStore store, Optional<Pg> pg, int timers, int spread, int target)
            throws Exception {
        BenchClock clock = new BenchClock(T0);
        BenchChannel channel = new BenchChannel();
        Duration targetTime = Duration.ofSeconds(target);
        Map<ConversationId, Instant> breachedAt = new ConcurrentHashMap<>();
        Map<ConversationId, Instant> warnedAt = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicLong lastSeen = new AtomicLong();
        try (Inbox inbox = Inbox.builder().store(store).clock(clock).channel(channel).ingestThreads(4)
                .ingestBatchSize(100).build()) {
            inbox.start();
            inbox.addListener(e -> {
                lastSeen.set(e.seq());
                Map<ConversationId, Instant> seen = e.type() == InboxEvent.Type.SLA_BREACHED ? breachedAt
                        : e.type() == InboxEvent.Type.SLA_WARNING ? warnedAt : null;
                if (seen != null && seen.putIfAbsent(e.conversation().orElseThrow(), clock.instant()) != null
                        && duplicates.incrementAndGet() <= 20) {
                    System.out.println("the listener received twice: " + e);
                }
            });

            // (1) one message per customer, the clock stepping over the spread
            long t = System.nanoTime();
            String run = UUID.randomUUID().toString().substring(0, 8);
            InboundSink sink = inbox.sink(T, channel.id());
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            AtomicInteger failed = new AtomicInteger();
            long stepNanos = Duration.ofSeconds(spread).toNanos() / timers;
            for (int i = 0; i < timers; i++) {
                clock.set(T0.plusNanos(i * stepNanos));
                inFlight.acquire();
                ChannelAccount account = ChannelAccount.of(T, channel.id(), run + "-u" + i, Profile.named("U " + i));
                sink.deliver(InboundEvent.MessageReceived.of(run + "-e" + i, account, T0, run + "-p" + i,
                        Content.text("where is my order " + i))).whenComplete((ok, failure) -> {
                            if (failure != null && failed.getAndIncrement() == 0) {
                                failure.printStackTrace();
                            }
                            inFlight.release();
                        });
            }
            inFlight.acquire(IN_FLIGHT);
            inFlight.release(IN_FLIGHT);
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " deliveries failed");
            }
            List<ConversationId> conversations = conversations(inbox, timers);
            System.out.printf(Locale.ROOT, "%s: %d customers wrote in %.1f s (ingest, not measured)%n", label, timers,
                    (System.nanoTime() - t) / 1e9);

            // (2) the policy, every conversation evaluated: one stored first-response deadline each; the clock
            // stands at T0 meanwhile, so the timer finds nothing due before the real-time part
            clock.set(T0);
            long heapBefore = heapAfterGc();
            t = System.nanoTime();
            Sla sla = inbox.forTenant(T).sla();
            sla.configure(List.of(SlaPolicy.builder("bench").firstResponse(targetTime).build()));
            evaluateAll(sla, conversations);
            List<SlaDeadline> running = sla.dueBefore(T0.plus(Duration.ofDays(1)), timers + 1);
            if (running.size() != timers) {
                throw new IllegalStateException("expected " + timers + " running deadlines, found " + running.size());
            }
            Map<ConversationId, Instant> dueOf = new ConcurrentHashMap<>();
            running.forEach(d -> dueOf.put(d.conversation(), d.dueAt()));
            running = null;
            System.out.printf(Locale.ROOT, "%s: %d deadlines stored through Sla.evaluate in %.1f s (not measured)%n",
                    label, timers, (System.nanoTime() - t) / 1e9);
            long heapAfter = heapAfterGc();
            double heapPerTimer = (heapAfter - heapBefore) / (double) timers;
            String pgBytes = pg.map(p -> tableBytes(p, timers)).orElse("");

            // (3) real time from 5 s before the first warning; the inbox's timer publishes
            Instant firstWarning = T0.plus(Duration.ofMillis(Math.round(targetTime.toMillis() * 0.8)));
            long seqBefore = inbox.events(0, 1).isEmpty() ? 0 : lastSeq(inbox);
            awaitListener(lastSeen, seqBefore);
            clock.runFrom(firstWarning.minusSeconds(5));
            Instant lastDue = T0.plus(Duration.ofSeconds(spread)).plus(targetTime);
            t = System.nanoTime();
            while (breachedAt.size() < timers && clock.instant().isBefore(lastDue.plusSeconds(900))) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            double realSeconds = (System.nanoTime() - t) / 1e9;

            // verify from the feed, then report
            Feed feed = readFeed(inbox, seqBefore);
            // a warning the timer reaches only after its deadline's due time is skipped for the breach (by design),
            // so warnings are checked to appear at most once; every breach exactly once
            if (feed.breaches.size() != timers || feed.warnings.size() > timers || feed.duplicates > 0
                    || duplicates.get() > 0 || breachedAt.size() != timers) {
                throw new IllegalStateException(String.format("%s: expected %d breaches once each and warnings at"
                                + " most once; feed has %d breaches, %d warnings, %d duplicates; the listener saw %d"
                                + " breaches, %d duplicates", label, timers, feed.breaches.size(),
                        feed.warnings.size(), feed.duplicates, breachedAt.size(), duplicates.get()));
            }
            long[] stored = new long[timers];
            long[] received = new long[timers];
            long[] warnStored = new long[Math.max(1, feed.warnings.size())];
            int i = 0;
            for (Map.Entry<ConversationId, InboxEvent> e : feed.breaches.entrySet()) {
                Instant due = Instant.parse(e.getValue().attribute(InboxEvent.Attribute.DUE_AT).orElseThrow());
                if (!due.equals(dueOf.get(e.getKey()))) {
                    throw new IllegalStateException(e.getKey() + " breached with dueAt " + due + ", stored "
                            + dueOf.get(e.getKey()));
                }
                stored[i] = Duration.between(due, e.getValue().at()).toMillis();
                received[i] = Duration.between(due, breachedAt.get(e.getKey())).toMillis();
                i++;
            }
            i = 0;
            for (InboxEvent w : feed.warnings.values()) {
                Instant due = Instant.parse(w.attribute(InboxEvent.Attribute.DUE_AT).orElseThrow());
                Instant warnAt = due.minus(Duration.ofMillis(Math.round(targetTime.toMillis() * 0.2)));
                warnStored[i++] = Duration.between(warnAt, w.at()).toMillis();
            }
            Arrays.sort(stored);
            Arrays.sort(received);
            Arrays.sort(warnStored);
            System.out.printf(Locale.ROOT, "%s SLA timer, %,d running deadlines due over %d s (%,.0f breaches/s and"
                            + " as many warnings), load %s:%n  breach lateness, stored event time - dueAt: p50 %d ms,"
                            + " p99 %d ms, max %d ms; received by a host listener - dueAt: p50 %d ms, p99 %d ms, max"
                            + " %d ms; within 1 s: %.2f %% (listener)%n  warning lateness (stored): p50 %d ms, p99 %d"
                            + " ms, max %d ms%n  verified from the feed: %,d breaches (each conversation once, dueAt as"
                            + " stored) and %,d warnings (at most once; the rest skipped as overdue); real time %.1f"
                            + " s%n  memory per running timer: JVM heap after GC %.0f bytes%s%n", label, timers, spread,
                    timers / (double) spread,
                    load(), pct(stored, 50), pct(stored, 99), stored[timers - 1], pct(received, 50),
                    pct(received, 99), received[timers - 1], 100.0 * within(received, 1000) / timers,
                    pct(warnStored, 50), pct(warnStored, 99), warnStored[warnStored.length - 1], feed.breaches.size(),
                    feed.warnings.size(), realSeconds, heapPerTimer, pgBytes);
        }
    }

    /** Each customer's conversation, from the feed's {@code MESSAGE_RECEIVED} events. */
    private static List<ConversationId> conversations(Inbox inbox, int expected) {
        Set<ConversationId> out = new LinkedHashSet<>();
        long cursor = 0;
        while (true) {
            List<InboxEvent> page = inbox.events(T, cursor, 1000);
            if (page.isEmpty()) {
                break;
            }
            for (InboxEvent e : page) {
                cursor = e.seq();
                if (e.type() == InboxEvent.Type.MESSAGE_RECEIVED) {
                    out.add(e.conversation().orElseThrow());
                }
            }
        }
        if (out.size() != expected) {
            throw new IllegalStateException("expected " + expected + " conversations, the feed has " + out.size());
        }
        return new ArrayList<>(out);
    }

    private static void evaluateAll(Sla sla, List<ConversationId> conversations) throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int p = 0; p < threads; p++) {
                int part = p;
                parts.add(pool.submit(() -> {
                    for (int i = part; i < conversations.size(); i += threads) {
                        sla.evaluate(conversations.get(i));
                    }
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static long lastSeq(Inbox inbox) {
        long cursor = 0;
        while (true) {
            List<InboxEvent> page = inbox.events(cursor, 1000);
            if (page.isEmpty()) {
                return cursor;
            }
            cursor = page.get(page.size() - 1).seq();
        }
    }

    /** Waits until the host listener has seen every event so far, so the feed dispatcher is idle at the start. */
    private static void awaitListener(AtomicLong lastSeen, long seq) {
        long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (lastSeen.get() < seq) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the listener is at " + lastSeen.get() + ", the feed at " + seq);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private record Feed(Map<ConversationId, InboxEvent> breaches, Map<ConversationId, InboxEvent> warnings,
                        int duplicates) {
    }

    private static Feed readFeed(Inbox inbox, long after) {
        Map<ConversationId, InboxEvent> breaches = new java.util.HashMap<>();
        Map<ConversationId, InboxEvent> warnings = new java.util.HashMap<>();
        int duplicates = 0;
        long cursor = after;
        while (true) {
            List<InboxEvent> page = inbox.events(T, cursor, 1000);
            if (page.isEmpty()) {
                return new Feed(breaches, warnings, duplicates);
            }
            for (InboxEvent e : page) {
                cursor = e.seq();
                Map<ConversationId, InboxEvent> into = e.type() == InboxEvent.Type.SLA_BREACHED ? breaches
                        : e.type() == InboxEvent.Type.SLA_WARNING ? warnings : null;
                InboxEvent before = into == null ? null : into.put(e.conversation().orElseThrow(), e);
                if (before != null) {
                    if (duplicates++ < 20) {
                        System.out.println("published twice: " + before + " and " + e);
                    }
                }
            }
        }
    }

    private static String tableBytes(Pg pg, int timers) {
        String table = "\"" + pg.schema() + "\".sb_sla_deadline";
        try (Connection c = pg.pool().getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE " + table);
            try (ResultSet r = s.executeQuery("SELECT pg_relation_size('" + table + "'), pg_indexes_size('" + table
                    + "'), pg_total_relation_size('" + table + "'), (SELECT COUNT(*) FROM " + table + ")")) {
                r.next();
                long rows = r.getLong(4);
                if (rows != timers) {
                    throw new IllegalStateException("expected " + timers + " deadline rows, found " + rows);
                }
                return String.format(Locale.ROOT, "; PostgreSQL sb_sla_deadline per row: table %.0f bytes, indexes"
                                + " %.0f bytes, total with TOAST %.0f bytes (%,d rows, after VACUUM)",
                        r.getLong(1) / (double) rows, r.getLong(2) / (double) rows, r.getLong(3) / (double) rows,
                        rows);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }

    private static long within(long[] values, long limit) {
        return Arrays.stream(values).filter(v -> v <= limit).count();
    }

    private static HikariDataSource pool(String url, String user, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /**
     * The inbox's clock: stands at a set instant while the benchmark sets up (so the deadlines are spread as chosen),
     * then runs in real time from a chosen instant.
     */
    static final class BenchClock extends Clock {
        private volatile Instant fixed;
        private volatile long offsetNanos;

        BenchClock(Instant start) {
            this.fixed = start;
        }

        void set(Instant at) {
            fixed = at;
        }

        /** From now on the clock reads {@code from} plus the real time passed since this call. */
        void runFrom(Instant from) {
            Instant now = Instant.now();
            offsetNanos = Duration.between(now, from).toNanos();
            fixed = null;
        }

        @Override
        public Instant instant() {
            Instant f = fixed;
            return f != null ? f : Instant.now().plusNanos(offsetNanos);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A webhook-style channel that only receives. */
    static final class BenchChannel implements Channel {
        private final ChannelId id = ChannelId.of("bench");

        @Override
        public ChannelId id() {
            return id;
        }

        @Override
        public ChannelType type() {
            return ChannelType.WEBCHAT;
        }

        @Override
        public TenantId tenant() {
            return T;
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.builder().build();
        }

        @Override
        public CompletionStage<Void> start(InboundSink sink) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<SendReceipt> send(OutboundMessage message) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("the bench channel does not send"));
        }

        @Override
        public CompletionStage<Void> stop() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
