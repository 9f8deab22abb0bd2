package dev.switchboard.bench.inbox;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ingest throughput of the real inbox sink (stored, deduped, identity-resolved, threaded, acknowledged after commit)
 * on PostgreSQL, MariaDB and an H2 file, each against a raw batch insert of the same rows into the same database in
 * the same run ({@link RawIngestBaseline}: the inbox's commit pattern of lanes and groups, the row kinds, counts and
 * bodies the inbox stored in the warm-up, new customers included), plus the in-memory store for reference. Many
 * deliveries are in flight at once so the inbox's group commit can work. Every inbox run is verified before its
 * figure counts: every delivery completed without failure, as many messages and dedupe rows stored as events
 * delivered, a customer per user, and nothing quarantined; a run that fails the check stops the benchmark.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.inbox.IngestThroughput [events]} with
 * {@code -Dstores=memory,h2,postgresql,mariadb} (default all), {@code -Drounds=3}, {@code -Dlanes=4},
 * {@code -Dbatch=100}, {@code -Dusers=500}, {@code -DpgUrl=...}, {@code -DmariadbUrl=...}.
 */
public final class IngestThroughput {
    static final int USERS = Integer.getInteger("users", 500);
    static final int LANES = Integer.getInteger("lanes", 4);
    static final int BATCH = Integer.getInteger("batch", 100);
    private static final int IN_FLIGHT = 512;

    private IngestThroughput() {}

    /** One database's figures: medians of the inbox and raw runs and of the per-round ratios. */
    private record Result(String label, double inbox, double raw, double ratio, double[] ratios) {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<String> stores = List.of(System.getProperty("stores", "memory,h2,postgresql,mariadb").split(","));
        double memory = 0;
        if (stores.contains("memory")) {
            run("in-memory (warm-up)", new InMemoryInboxStore(), events, Optional.empty());
            memory = run("in-memory", new InMemoryInboxStore(), events, Optional.empty());
        }
        List<Result> results = new ArrayList<>();
        if (stores.contains("postgresql")) {
            results.add(measure(BenchDatabase.postgres(System.getProperty("pgUrl",
                    "jdbc:postgresql://127.0.0.1:5432/switchboard_test"), System.getProperty("pgUser", "postgres")), events));
        }
        if (stores.contains("mariadb")) {
            results.add(measure(BenchDatabase.mariadb(System.getProperty("mariadbUrl",
                    "jdbc:mariadb://127.0.0.1:3306/switchboard_test"), System.getProperty("mariadbUser", "root"),
                    System.getProperty("mariadbPassword", "")), events));
        }
        if (stores.contains("h2")) {
            results.add(measure(BenchDatabase.h2File(), events));
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n| store (%d events, %d lanes, groups of %d) | inbox events/s | raw events/s | inbox / raw (per round) |%n"
                        + "|---|---|---|---|%n", events, LANES, BATCH));
        if (stores.contains("memory")) {
            table.append(String.format(Locale.ROOT, "| in-memory | %.0f | | |%n", memory));
        }
        for (Result r : results) {
            table.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.2f %s |%n", r.label, r.inbox, r.raw, r.ratio,
                    java.util.Arrays.toString(java.util.Arrays.stream(r.ratios).map(x -> Math.round(x * 100) / 100.0)
                            .toArray())));
        }
        System.out.print(table);
    }

    /**
     * Warm-up (the JIT compiles the ingest path, and the raw baseline learns the inbox's rows from it), then rounds of
     * an inbox run and a raw run, alternating: the machine is shared and noisy, so each pair is compared.
     */
    private static Result measure(BenchDatabase db, int events) throws Exception {
        int rounds = Integer.getInteger("rounds", 3);
        double[] inboxRuns = new double[rounds];
        double[] rawRuns = new double[rounds];
        double[] ratios = new double[rounds];
        try (db; JdbcInboxStore store = db.newStore(true)) {
            run(db.label + " (warm-up)", store, events / 2, Optional.of(db));
            RawIngestBaseline.RowProfile profile = RawIngestBaseline.RowProfile.measure(db);
            System.out.println("  rows per event as the inbox stored them: " + profile);
            RawIngestBaseline raw = new RawIngestBaseline(db, profile, USERS, LANES, BATCH);
            raw.run("raw-warm", events / 2);
            String server = db.serverProcess();
            for (int r = 0; r < rounds; r++) {
                // A fresh schema has no planner statistics until autovacuum's next round (up to a minute away), and
                // each round grows the tables by far more than the 10 % after which autovacuum analyzes them again;
                // a database in steady state has current statistics, so gather them as autovacuum would.
                db.analyze();
                CpuMeter inboxCpu = CpuMeter.start(server);
                inboxRuns[r] = run(db.label, store, events, Optional.of(db));
                inboxCpu.report("  inbox", events);
                StatementCounter.reset();
                CpuMeter rawCpu = CpuMeter.start(server);
                rawRuns[r] = raw.run("raw" + r, events);
                StatementCounter.report("raw", events);
                System.out.printf(Locale.ROOT, "%-22s %7d events = %8.0f events/s%n", db.label + " raw", events,
                        rawRuns[r]);
                rawCpu.report("  raw", events);
                ratios[r] = inboxRuns[r] / rawRuns[r];
            }
        }
        return new Result(db.label, median(inboxRuns), median(rawRuns), median(ratios), ratios);
    }

    /**
     * CPU time this JVM and the database server's processes ({@code server}: their name prefix, empty for an
     * embedded database) spent during a phase, per event: on a shared, noisy machine this cost is steadier than wall
     * time (other processes' load is not counted). Linux only (/proc).
     */
    record CpuMeter(long jvmAtStart, long serverAtStart, String server, long jitAtStart, long gcAtStart) {
        static CpuMeter start(String server) {
            return new CpuMeter(jvmCpu(), serverTicks(server), server, jitMillis(), gcMillis());
        }

        /**
         * Prints the phase's CPU per event, and the part of the JVM's that went to the JIT compiler and the garbage
         * collector (their threads are not application threads: a JVM whose compiler is still busy pays it per event).
         */
        void report(String what, int events) {
            double jvm = (jvmCpu() - jvmAtStart) / 1e3 / events;
            double db = server.isEmpty() ? 0 : (serverTicks(server) - serverAtStart) * 1e6 / 100.0 / events; // USER_HZ
            double jit = (jitMillis() - jitAtStart) * 1e3 / events;
            double gc = (gcMillis() - gcAtStart) * 1e3 / events;
            System.out.printf(Locale.ROOT, "%s CPU per event: JVM %.0f us + database server %.0f us = %.0f us"
                    + " (JIT compiler time %.0f us, GC time %.0f us per event)%n", what, jvm, db, jvm + db, jit, gc);
        }

        /** Milliseconds the JIT compiler threads have spent compiling (elapsed, summed over its threads). */
        private static long jitMillis() {
            java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        }

        /** Milliseconds the garbage collectors have spent collecting. */
        private static long gcMillis() {
            long total = 0;
            for (java.lang.management.GarbageCollectorMXBean gc
                    : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                total += Math.max(0, gc.getCollectionTime());
            }
            return total;
        }

        private static long jvmCpu() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        private static long serverTicks(String server) {
            if (server.isEmpty()) {
                return 0;
            }
            long ticks = 0;
            java.io.File[] procs = new java.io.File("/proc").listFiles((d, name) -> name.chars().allMatch(Character::isDigit));
            if (procs == null) {
                return 0;
            }
            for (java.io.File proc : procs) {
                try {
                    String stat = Files.readString(proc.toPath().resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    if (!stat.substring(stat.indexOf('(') + 1, close).startsWith(server)) {
                        continue;
                    }
                    String[] f = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                } catch (java.io.IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
            return ticks;
        }
    }

    /**
     * CPU milliseconds each kind of live thread has used so far ({@code -DthreadCpu=true}), by thread name with its
     * numbers folded (so the four ingest lanes add up under one name).
     */
    static java.util.Map<String, Long> threadCpuMillis() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        for (long id : mx.getAllThreadIds()) {
            java.lang.management.ThreadInfo info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info != null && cpu >= 0) {
                byName.merge(info.getThreadName().replaceAll("[0-9a-f]{4,}|[0-9]+", "N"), cpu / 1_000_000, Long::sum);
            }
        }
        return byName;
    }

    /**
     * The JVM CPU of a run per kind of thread, in microseconds per event ({@code -DthreadCpu=true}); threads that ended
     * during the run are not counted.
     */
    static void reportThreadCpu(String what, java.util.Map<String, Long> before, java.util.Map<String, Long> after,
                                int events) {
        StringBuilder line = new StringBuilder(what + " thread CPU per event (us):");
        after.forEach((name, ms) -> {
            long used = ms - before.getOrDefault(name, 0L);
            if (used > 0) {
                line.append(String.format(Locale.ROOT, " %s %.0f;", name, used * 1000.0 / events));
            }
        });
        System.out.println(line);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** One inbox run of {@code events} new events; verified against {@code db} when given. Returns events/s. */
    static double run(String name, InboxStore store, int events, Optional<BenchDatabase> db) throws Exception {
        BenchChannel channel = new BenchChannel();
        StatementCounter.reset();
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (Inbox inbox = Inbox.builder().store(store).channel(channel)
                .ingestThreads(LANES).ingestBatchSize(BATCH).build()) {
            inbox.start();
            java.util.Map<String, Long> threadsBefore = threadCpuMillis();
            InboundSink sink = inbox.sink(TenantId.DEFAULT, channel.id());
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            AtomicInteger failed = new AtomicInteger();
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                inFlight.acquire();
                sink.deliver(event(channel, run, i, t0)).whenComplete((ok, failure) -> {
                    if (failure != null && failed.getAndIncrement() == 0) {
                        failure.printStackTrace();
                    }
                    inFlight.release();
                });
            }
            inFlight.acquire(IN_FLIGHT);
            StatementCounter.report("inbox", events);
            if (Boolean.getBoolean("threadCpu")) {
                reportThreadCpu("  " + name, threadsBefore, threadCpuMillis(), events);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = events / seconds;
            if (failed.get() > 0) {
                throw new IllegalStateException(name + ": " + failed.get() + " of " + events + " deliveries failed");
            }
            if (db.isPresent()) {
                verify(name, db.get(), run, events);
            }
            System.out.printf(Locale.ROOT, "%-22s %7d events in %6.2f s = %8.0f events/s (verified)%n", name, events,
                    seconds, rate);
            return rate;
        }
    }

    /**
     * What the run must have stored before its figure counts: one inbound message and one dedupe row per event
     * delivered, one account (and so one customer) per user, nothing quarantined.
     */
    static void verify(String name, BenchDatabase db, String run, int events) throws Exception {
        String p = db.prefix;
        long messages = db.count("SELECT COUNT(*) FROM " + p + "sb_message WHERE direction = 'INBOUND'"
                + " AND platform_message_id LIKE '" + run + "-%'");
        long processed = db.count("SELECT COUNT(*) FROM " + p + "sb_processed_event WHERE event_id LIKE '" + run + "-%'");
        long accounts = db.count("SELECT COUNT(*) FROM " + p + "sb_account WHERE platform_user_id LIKE '" + run + "-%'");
        long quarantined = db.count("SELECT COUNT(*) FROM " + p + "sb_quarantine");
        int users = Math.min(USERS, events);
        if (messages != events || processed != events || accounts != users || quarantined != 0) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s stored %d messages and %d dedupe rows for %d"
                    + " events, %d accounts for %d users, %d quarantined: not a valid run", name, messages, processed,
                    events, accounts, users, quarantined));
        }
    }

    /** Event {@code i} of a run: a text message from user {@code i % users}, each user's events in order. */
    static InboundEvent event(Channel channel, String run, int i, Instant t0) {
        ChannelAccount account = ChannelAccount.of(TenantId.DEFAULT, channel.id(), run + "-u" + (i % USERS),
                Profile.named("User " + (i % USERS)));
        return InboundEvent.MessageReceived.of(run + "-e" + i, account, t0.plusMillis(i), run + "-p" + i,
                Content.text("hello number " + i));
    }

    /** A webhook-style channel that only receives; sends succeed immediately. */
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
            return TenantId.DEFAULT;
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
            return CompletableFuture.failedFuture(new UnsupportedOperationException("bench channel does not send"));
        }

        @Override
        public CompletionStage<Void> stop() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
