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
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
    private static final int USERS = 500;
    private static final int IN_FLIGHT = 512;

    private IngestThroughput() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        String pgUrl = args.length > 1 ? args[1] : "jdbc:postgresql://127.0.0.1:5432/switchboard_test";
        double memory = run("in-memory", new InMemoryInboxStore(), events);
        Path dir = Files.createTempDirectory("bench-h2");
        double h2;
        try (JdbcInboxStore store = JdbcInboxStore.h2File(dir)) {
            h2 = run("h2-file", store, events);
        }
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        double pg;
        double raw;
        try (HikariDataSource ds = pool(pgUrl)) {
            try (JdbcInboxStore store = JdbcInboxStore.builder().dataSource(ds).schema(schema).build()) {
                run("postgresql (warm-up)", store, events / 4);
                pg = run("postgresql", store, events);
            }
            raw = rawInsert(ds, schema, events);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
            }
        }
        System.out.printf(Locale.ROOT, "%n| store | events/s |%n|---|---|%n| in-memory | %.0f |%n| H2 file | %.0f |%n"
                + "| PostgreSQL inbox | %.0f |%n| PostgreSQL raw batch insert | %.0f |%n%nPG inbox / PG raw = %.2f%n",
                memory, h2, pg, raw, pg / raw);
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
        try (Inbox inbox = Inbox.builder().store(store).channel(channel).build()) {
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
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = events / seconds;
            System.out.printf(Locale.ROOT, "%-22s %7d events in %6.2f s = %8.0f events/s%n", name, events, seconds, rate);
            return rate;
        }
    }

    /** The limit: the same rows (a message and a processed-event id per event) inserted in JDBC batches of 500. */
    private static double rawInsert(HikariDataSource ds, String schema, int events) throws Exception {
        String p = "\"" + schema + "\".";
        long start = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement m = c.prepareStatement("INSERT INTO " + p + "sb_message (tenant, id, conversation_id,"
                    + " customer_id, channel, direction, platform_message_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement d = c.prepareStatement("INSERT INTO " + p + "sb_processed_event (tenant, channel,"
                         + " event_id, processed_at) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < events; i++) {
                    m.setString(1, "default");
                    m.setString(2, "raw-m" + i);
                    m.setString(3, "raw-k" + (i % USERS));
                    m.setString(4, "raw-c" + (i % USERS));
                    m.setString(5, "bench");
                    m.setString(6, "INBOUND");
                    m.setString(7, "raw-p" + i);
                    m.setString(8, "{\"tenant\":{\"value\":\"default\"},\"content\":{\"parts\":[{\"type\":\"text\","
                            + "\"spans\":[{\"text\":\"hello number " + i + "\"}]}]}}");
                    m.addBatch();
                    d.setString(1, "default");
                    d.setString(2, "bench");
                    d.setString(3, "raw-e" + i);
                    d.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
                    d.addBatch();
                    if (i % 500 == 499) {
                        m.executeBatch();
                        d.executeBatch();
                        c.commit();
                    }
                }
                m.executeBatch();
                d.executeBatch();
                c.commit();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = events / seconds;
        System.out.printf(Locale.ROOT, "%-22s %7d rows   in %6.2f s = %8.0f events/s%n", "postgresql raw batch", events,
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
