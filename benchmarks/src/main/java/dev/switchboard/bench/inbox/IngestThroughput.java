package dev.switchboard.bench.inbox;

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
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;

/**
 * Ingest throughput of the real inbox sink (stored, deduped, identity-resolved, threaded, acknowledged after commit)
 * on the in-memory, H2 and PostgreSQL stores, against the same machine's raw JDBC batch insert of equivalent rows
 * (message + processed-event) on the same PostgreSQL as the limit. Many deliveries are in flight at once so the
 * inbox's group commit can work. Prints events/s per store and the PostgreSQL inbox/raw ratio.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.inbox.IngestThroughput [events] [pgUrl]}
 */
public final class IngestThroughput {
    private static final int USERS = Integer.getInteger("users", 500);
    private static final int IN_FLIGHT = 512;

    private IngestThroughput() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        String pgUrl = args.length > 1 ? args[1] : "jdbc:postgresql://127.0.0.1:5432/switchboard_test";
        List<String> stores = List.of(System.getProperty("stores", "memory,h2,postgresql").split(","));
        double memory = 0;
        if (stores.contains("memory")) {
            run("in-memory (warm-up)", new InMemoryInboxStore(), events);
            memory = run("in-memory", new InMemoryInboxStore(), events);
        }
        double h2 = 0;
        if (stores.contains("h2")) {
            Path dir = Files.createTempDirectory("bench-h2");
            try (JdbcInboxStore store = JdbcInboxStore.h2File(dir)) {
                run("h2-file (warm-up)", store, events / 4);
                h2 = run("h2-file", store, events);
            }
        }
        if (!stores.contains("postgresql")) {
            System.out.printf(Locale.ROOT, "in-memory %.0f events/s, H2 file %.0f events/s%n", memory, h2);
            return;
        }
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        int rounds = Integer.getInteger("rounds", 3);
        double[] pgRuns = new double[rounds];
        double[] rawRuns = new double[rounds];
        double[] ratios = new double[rounds];
        try (HikariDataSource ds = pool(pgUrl)) {
            try (JdbcInboxStore store = JdbcInboxStore.builder().dataSource(ds).schema(schema).build()) {
                // warm-up: the JIT compiles the ingest path (seconds of both cores on this machine) before anything is timed
                run("postgresql (warm-up)", store, events);
                rawInsert(ds, schema, events / 2, "warm-");
                // A fresh schema has no planner statistics until autovacuum's next round (up to a minute away);
                // a database in steady state has them, so gather them as autovacuum would.
                analyze(ds, schema);
                // The machine is shared and noisy: alternate inbox and raw runs and compare each pair.
                for (int r = 0; r < rounds; r++) {
                    CpuMeter inboxCpu = CpuMeter.start();
                    pgRuns[r] = run("postgresql", store, events);
                    inboxCpu.report("  inbox", events);
                    CpuMeter rawCpu = CpuMeter.start();
                    rawRuns[r] = rawInsert(ds, schema, events, "r" + r + "-");
                    rawCpu.report("  raw", events);
                    ratios[r] = pgRuns[r] / rawRuns[r];
                }
            }
            if (!Boolean.getBoolean("keepSchema")) {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
                }
            }
        }
        double pg = median(pgRuns);
        double raw = median(rawRuns);
        System.out.printf(Locale.ROOT, "%n| store | events/s |%n|---|---|%n| in-memory | %.0f |%n| H2 file | %.0f |%n"
                + "| PostgreSQL inbox (median of %d) | %.0f |%n| PostgreSQL raw batch insert (median of %d) | %.0f |%n%n"
                + "PG inbox / PG raw per round = %s, median %.2f%n", memory, h2, rounds, pg, rounds, raw,
                java.util.Arrays.toString(java.util.Arrays.stream(ratios).map(x -> Math.round(x * 100) / 100.0).toArray()),
                median(ratios));
    }

    /**
     * CPU time this JVM and all PostgreSQL server processes spent during a phase, per event: on a shared, noisy
     * machine this cost is steadier than wall time (other processes' load is not counted). Linux only (/proc).
     */
    private record CpuMeter(long jvmAtStart, long postgresAtStart) {
        static CpuMeter start() {
            return new CpuMeter(jvmCpu(), postgresTicks());
        }

        void report(String what, int events) {
            double jvm = (jvmCpu() - jvmAtStart) / 1e3 / events;
            double pg = (postgresTicks() - postgresAtStart) * 1e6 / 100.0 / events; // USER_HZ = 100
            System.out.printf(Locale.ROOT, "%s CPU per event: JVM %.0f us + PostgreSQL %.0f us = %.0f us%n", what, jvm,
                    pg, jvm + pg);
        }

        private static long jvmCpu() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        private static long postgresTicks() {
            long ticks = 0;
            java.io.File[] procs = new java.io.File("/proc").listFiles((d, name) -> name.chars().allMatch(Character::isDigit));
            if (procs == null) {
                return 0;
            }
            for (java.io.File proc : procs) {
                try {
                    String stat = Files.readString(proc.toPath().resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    if (!stat.substring(stat.indexOf('(') + 1, close).startsWith("postgres")) {
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

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(16);
        return new HikariDataSource(config);
    }

    private static double run(String name, InboxStore store, int events) throws Exception {
        BenchChannel channel = new BenchChannel();
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (Inbox inbox = Inbox.builder().store(store).channel(channel)
                .ingestThreads(Integer.getInteger("lanes", 4)).ingestBatchSize(Integer.getInteger("batch", 100)).build()) {
            inbox.start();
            InboundSink sink = inbox.sink(TenantId.DEFAULT, channel.id());
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                inFlight.acquire();
                ChannelAccount account = ChannelAccount.of(TenantId.DEFAULT, channel.id(), run + "-u" + (i % USERS),
                        Profile.named("User " + (i % USERS)));
                InboundEvent e = InboundEvent.MessageReceived.of(run + "-e" + i, account, t0.plusMillis(i),
                        run + "-p" + i, Content.text("hello number " + i));
                sink.deliver(e).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        failure.printStackTrace();
                    }
                    inFlight.release();
                });
            }
            inFlight.acquire(IN_FLIGHT);
            if (Boolean.getBoolean("threadCpu")) {
                java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                java.util.Map<String, Long> byName = new java.util.TreeMap<>();
                for (long id : mx.getAllThreadIds()) {
                    java.lang.management.ThreadInfo info = mx.getThreadInfo(id);
                    if (info != null) {
                        byName.merge(info.getThreadName().replaceAll("[0-9a-f]{4,}|[0-9]+", "N"), mx.getThreadCpuTime(id) / 1_000_000, Long::sum);
                    }
                }
                System.out.println("thread CPU ms (cumulative): " + byName);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = events / seconds;
            System.out.printf(Locale.ROOT, "%-22s %7d events in %6.2f s = %8.0f events/s%n", name, events, seconds, rate);
            return rate;
        }
    }

    private static void analyze(HikariDataSource ds, String schema) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '" + schema + "'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                s.execute("ANALYZE \"" + schema + "\"." + table);
            }
        }
    }

    /**
     * The limit: the rows the inbox writes for each event, written with nothing else going on. Per event a dedupe
     * row, a message and a feed event; per batch one upsert of each conversation that received a message (the inbox
     * also coalesces these per group), and the feed counter bumped once. JDBC batches of 500 on one connection, one
     * commit per batch, no reads, no identity resolution, no JSON mapping (bodies are pre-built strings of the same
     * size as the inbox's).
     */
    private static double rawInsert(HikariDataSource ds, String schema, int events, String idPrefix) throws Exception {
        String p = "\"" + schema + "\".";
        String conversationBody = "{\"tenant\":{\"value\":\"default\"},\"id\":{\"value\":\"%s\"},\"customer\":{\"value\":"
                + "\"%s\"},\"status\":\"OPEN\",\"priority\":\"NORMAL\",\"assignee\":null,\"tags\":[],\"channel\":"
                + "{\"value\":\"bench\"},\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"%s\",\"lastInboundAt\":"
                + "\"%s\",\"firstResponseAt\":null,\"resolvedAt\":null}";
        long start = System.nanoTime();
        long seq;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq FROM " + p + "sb_event_counter WHERE id = 1")) {
            rs.next();
            seq = rs.getLong(1);
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement m = c.prepareStatement("INSERT INTO " + p + "sb_message (tenant, id, conversation_id,"
                    + " customer_id, channel, direction, platform_message_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement d = c.prepareStatement("INSERT INTO " + p + "sb_processed_event (tenant, channel,"
                         + " event_id, processed_at) VALUES (?, ?, ?, ?)");
                 PreparedStatement e = c.prepareStatement("INSERT INTO " + p + "sb_event (seq, tenant, type,"
                         + " conversation_id, message_id, customer_id, attributes, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement counter = c.prepareStatement("UPDATE " + p + "sb_event_counter SET seq = seq + ?"
                         + " WHERE id = 1");
                 PreparedStatement k = c.prepareStatement("INSERT INTO " + p + "sb_conversation (tenant, id, customer_id,"
                         + " status, assignee, channel, updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT"
                         + " (tenant, id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,"
                         + " body = EXCLUDED.body")) {
                java.util.Set<Integer> conversations = new java.util.LinkedHashSet<>();
                int inBatch = 0;
                for (int i = 0; i < events; i++) {
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    int user = i % USERS;
                    m.setString(1, "default");
                    m.setString(2, idPrefix + "raw-m" + i);
                    m.setString(3, "raw-k" + user);
                    m.setString(4, "raw-c" + user);
                    m.setString(5, "bench");
                    m.setString(6, "INBOUND");
                    m.setString(7, idPrefix + "raw-p" + i);
                    m.setString(8, "{\"tenant\":{\"value\":\"default\"},\"id\":{\"value\":\"" + idPrefix + "raw-m" + i + "\"},"
                            + "\"conversation\":{\"value\":\"raw-k" + user + "\"},\"customer\":{\"value\":\"raw-c" + user
                            + "\"},\"channel\":{\"value\":\"bench\"},\"direction\":\"INBOUND\",\"content\":{\"parts\":"
                            + "[{\"type\":\"text\",\"spans\":[{\"text\":\"hello number " + i + "\"}]}]},\"status\":"
                            + "\"RECEIVED\",\"sentAt\":\"" + now + "\",\"storedAt\":\"" + now + "\"}");
                    m.addBatch();
                    d.setString(1, "default");
                    d.setString(2, "bench");
                    d.setString(3, idPrefix + "raw-e" + i);
                    d.setObject(4, now);
                    d.addBatch();
                    e.setLong(1, ++seq);
                    e.setString(2, "default");
                    e.setString(3, "MESSAGE_RECEIVED");
                    e.setString(4, "raw-k" + user);
                    e.setString(5, idPrefix + "raw-m" + i);
                    e.setString(6, "raw-c" + user);
                    e.setString(7, "{\"channel\":\"bench\",\"channelType\":\"webchat\"}");
                    e.setObject(8, now);
                    e.addBatch();
                    conversations.add(user);
                    if (++inBatch == 500 || i == events - 1) {
                        for (int u : conversations) {
                            k.setString(1, "default");
                            k.setString(2, "raw-k" + u);
                            k.setString(3, "raw-c" + u);
                            k.setString(4, "OPEN");
                            k.setString(5, null);
                            k.setString(6, "bench");
                            k.setObject(7, now);
                            k.setString(8, String.format(conversationBody, "raw-k" + u, "raw-c" + u, now, now));
                            k.addBatch();
                        }
                        d.executeBatch();
                        m.executeBatch();
                        k.executeBatch();
                        counter.setInt(1, inBatch);
                        counter.executeUpdate();
                        e.executeBatch();
                        c.commit();
                        conversations.clear();
                        inBatch = 0;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = events / seconds;
        System.out.printf(Locale.ROOT, "%-22s %7d events in %6.2f s = %8.0f events/s%n", "postgresql raw batch", events,
                seconds, rate);
        return rate;
    }

    /** A webhook-style channel that only receives; sends succeed immediately. */
    private static final class BenchChannel implements Channel {
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
