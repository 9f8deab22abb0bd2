package dev.switchboard.bench.inbox;

import dev.switchboard.channel.InboundSink;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency of the inbox's ingest at a fixed offered rate (open loop): events are offered on a fixed schedule, whatever
 * the inbox's progress, and each event's latency runs from its <em>scheduled</em> offer time to the completion of the
 * stage its {@code deliver} returned (the acknowledgement a platform waits for: after commit). A generator that falls
 * behind its schedule therefore cannot hide a slow store (no coordinated omission). Events, users and verification
 * are those of {@link IngestThroughput}: every run must have stored one message and one dedupe row per event, an
 * account per user and nothing quarantined before its figures count.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.inbox.IngestLatency} with
 * {@code -Drates=1000,3000} (events/s), {@code -Dseconds=30} (per run), {@code -Drounds=1} (runs per rate),
 * {@code -Dstores=postgresql,mariadb} (also {@code h2}, and {@code memory}: the in-memory store, for the inbox's own
 * cost without a database, not verified against stored rows), {@code -DthreadCpu=true} (CPU per event of each kind of
 * thread), and the options of {@link IngestThroughput} ({@code -Dusers},
 * {@code -Dlanes}, {@code -Dbatch}, {@code -DpgUrl}, ...).
 */
public final class IngestLatency {
    private IngestLatency() {}

    /** The latency figures of one paced run, in milliseconds. */
    private record Figures(String store, int rate, double offeredRate, double p50, double p90, double p99,
                           double p999, double max, double maxLateness) {
    }

    public static void main(String[] args) throws Exception {
        int[] rates = Arrays.stream(System.getProperty("rates", "1000,3000").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        int seconds = Integer.getInteger("seconds", 30);
        int rounds = Integer.getInteger("rounds", 1);
        List<String> stores = List.of(System.getProperty("stores", "postgresql,mariadb").split(","));
        List<Figures> results = new ArrayList<>();
        if (stores.contains("memory")) {
            results.addAll(measure(Optional.empty(), rates, seconds, rounds));
        }
        if (stores.contains("postgresql")) {
            results.addAll(measure(BenchDatabase.postgres(System.getProperty("pgUrl",
                    "jdbc:postgresql://127.0.0.1:5432/switchboard_test"), System.getProperty("pgUser", "postgres")),
                    rates, seconds, rounds));
        }
        if (stores.contains("mariadb")) {
            results.addAll(measure(BenchDatabase.mariadb(System.getProperty("mariadbUrl",
                    "jdbc:mariadb://127.0.0.1:3306/switchboard_test"), System.getProperty("mariadbUser", "root"),
                    System.getProperty("mariadbPassword", "")), rates, seconds, rounds));
        }
        if (stores.contains("h2")) {
            results.addAll(measure(BenchDatabase.h2File(), rates, seconds, rounds));
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n| store (%d s per run, %d lanes, groups"
                + " of up to %d) | offered events/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | generator max"
                + " late ms |%n|---|---|---|---|---|---|---|---|%n", seconds, IngestThroughput.LANES,
                IngestThroughput.BATCH));
        for (Figures f : results) {
            table.append(String.format(Locale.ROOT, "| %s at %,d/s | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    f.store, f.rate, f.offeredRate, f.p50, f.p90, f.p99, f.p999, f.max, f.maxLateness));
        }
        System.out.print(table);
    }

    /**
     * A warm-up (unpaced, so the JIT compiles the ingest path), planner statistics as a running database has them,
     * then the paced runs, each rate in turn per round.
     */
    private static List<Figures> measure(BenchDatabase db, int[] rates, int seconds, int rounds) throws Exception {
        try (db; JdbcInboxStore store = db.newStore(true)) {
            return measure(Optional.of(db), store, rates, seconds, rounds);
        }
    }

    /** The in-memory store ({@code -Dstores=memory}): the inbox's own JVM cost, without a database. */
    private static List<Figures> measure(Optional<BenchDatabase> none, int[] rates, int seconds, int rounds)
            throws Exception {
        return measure(none, new InMemoryInboxStore(), rates, seconds, rounds);
    }

    private static List<Figures> measure(Optional<BenchDatabase> db, InboxStore store, int[] rates, int seconds,
                                         int rounds) throws Exception {
        List<Figures> out = new ArrayList<>();
        IngestThroughput.run(label(db) + " (warm-up)", store, Integer.getInteger("warmup", 15_000), db);
        for (int r = 0; r < rounds; r++) {
            for (int rate : rates) {
                if (db.isPresent()) {
                    db.get().analyze(); // current statistics, as autovacuum keeps them (see IngestThroughput)
                }
                IngestThroughput.CpuMeter cpu = IngestThroughput.CpuMeter.start(
                        db.map(BenchDatabase::serverProcess).orElse(""));
                Figures f = paced(db, store, rate, seconds);
                cpu.report("  paced", rate * seconds);
                out.add(f);
            }
        }
        return out;
    }

    private static String label(Optional<BenchDatabase> db) {
        return db.map(d -> d.label).orElse("in-memory");
    }

    private static Figures paced(Optional<BenchDatabase> db, InboxStore store, int rate, int seconds)
            throws Exception {
        int events = rate * seconds;
        IngestThroughput.BenchChannel channel = new IngestThroughput.BenchChannel();
        String run = UUID.randomUUID().toString().substring(0, 8);
        long[] latency = new long[events];
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(events);
        long maxLateness = 0;
        long start;
        long lastOffer;
        try (Inbox inbox = Inbox.builder().store(store).channel(channel).ingestThreads(IngestThroughput.LANES)
                .ingestBatchSize(IngestThroughput.BATCH).build()) {
            inbox.start();
            StatementCounter.reset();
            java.util.Map<String, Long> threadsBefore = IngestThroughput.threadCpuMillis();
            InboundSink sink = inbox.sink(TenantId.DEFAULT, channel.id());
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
            lastOffer = start;
            for (int i = 0; i < events; i++) {
                long scheduled = start + i * 1_000_000_000L / rate;
                long now;
                while ((now = System.nanoTime()) < scheduled) {
                    LockSupport.parkNanos(scheduled - now);
                }
                maxLateness = Math.max(maxLateness, now - scheduled);
                lastOffer = now;
                int index = i;
                sink.deliver(IngestThroughput.event(channel, run, i, t0)).whenComplete((ok, failure) -> {
                    latency[index] = System.nanoTime() - scheduled;
                    if (failure != null && failed.getAndIncrement() == 0) {
                        failure.printStackTrace();
                    }
                    done.countDown();
                });
            }
            done.await();
            StatementCounter.report("paced", events);
            if (Boolean.getBoolean("threadCpu")) {
                IngestThroughput.reportThreadCpu("  paced", threadsBefore, IngestThroughput.threadCpuMillis(), events);
            }
        }
        String name = label(db) + " paced " + rate + "/s";
        if (failed.get() > 0) {
            throw new IllegalStateException(name + ": " + failed.get() + " of " + events + " deliveries failed");
        }
        if (db.isPresent()) {
            IngestThroughput.verify(name, db.get(), run, events);
        }
        Arrays.sort(latency);
        double offered = (events - 1) / ((lastOffer - start) / 1e9);
        Figures f = new Figures(label(db), rate, offered, ms(latency, 0.50), ms(latency, 0.90), ms(latency, 0.99),
                ms(latency, 0.999), latency[events - 1] / 1e6, maxLateness / 1e6);
        System.out.printf(Locale.ROOT, "%-28s %7d events offered at %.0f/s%s: p50 %.1f ms, p90 %.1f ms,"
                + " p99 %.1f ms, p99.9 %.1f ms, max %.1f ms; generator at most %.1f ms late%n", name, events,
                f.offeredRate, db.isPresent() ? " (verified)" : "", f.p50, f.p90, f.p99, f.p999, f.max, f.maxLateness);
        return f;
    }

    /** The {@code q} quantile of sorted nanosecond values (nearest rank), in milliseconds. */
    private static double ms(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
