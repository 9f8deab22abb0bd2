package dev.switchboard.bench.telegram;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.telegram.TelegramChannel;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Send rate of the product as a host uses it: replies through {@link Inbox#reply} and the transactional outbox, on a
 * PostgreSQL store, to a Telegram bot whose Bot API fake enforces Telegram's limits (30 msg/s per bot, 1 msg/s per
 * chat, a small burst, real 429 answers with retry-after). 2,000 replies to 200 chats in three runs on fresh schemas:
 * <ol>
 *   <li>one node;</li>
 *   <li>two nodes sharing the bot and the store (each reply written on one of them in turn; either may send it);</li>
 *   <li>the baseline: the same two nodes pacing each on its own, as before pacing was shared through the store.</li>
 * </ol>
 * Each run waits until the fake accepted every reply, then checks the store (every outbox row SENT, nothing pending)
 * before it reports the rate between the first and the last accepted send against the allowed rate, and the 429s.
 * Limits are time-scaled by {@code scale} on both sides (the channel's declared limits and the fake's) to keep the run
 * short. Needs PostgreSQL (a schema per run is created and dropped).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.telegram.TelegramSendRateHarness
 * [messages=2000] [chats=200] [scale=1] [jdbcUrl=jdbc:postgresql://127.0.0.1:5432/switchboard_test?user=postgres]}
 */
public final class TelegramSendRateHarness {
    private static final String TOKEN = "123456789:AAHbenchTokenBenchTokenBenchToken_00";
    private static final TenantId TENANT = TenantId.DEFAULT;
    private static final ChannelId BOT = ChannelId.of("telegram");

    private TelegramSendRateHarness() {
    }

    private static final double TELEGRAM_MESSAGES_PER_SECOND = 30;
    private static final double TELEGRAM_MESSAGES_PER_SECOND_PER_CHAT = 1;

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int chats = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        double scale = args.length > 2 ? Double.parseDouble(args[2]) : 1;
        String jdbcUrl = args.length > 3 ? args[3] : "jdbc:postgresql://127.0.0.1:5432/switchboard_test?user=postgres";

        // The fake enforces Telegram's documented limits (30 messages/s per bot, 1/s per chat), not what the channel
        // declares to its outbox (those less a margin): the figure is the share of Telegram's limit reached.
        double globalRate = TELEGRAM_MESSAGES_PER_SECOND * scale;
        double chatRate = TELEGRAM_MESSAGES_PER_SECOND_PER_CHAT * scale;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(24);
        // Telegram tolerates short bursts; the fake allows a quarter second's worth of the global rate and 2 per chat.
        try (HikariDataSource pool = new HikariDataSource(config);
             TelegramFake fake = TelegramFake.builder().token(TOKEN)
                     .globalRateLimit(globalRate, Math.max(3, globalRate * 0.25)).perChatRateLimit(chatRate, 2).build()) {
            System.out.printf(Locale.ROOT, "Telegram send rate through Inbox.reply and the outbox (PostgreSQL): %d "
                    + "replies to %d chats, limits scaled x%.1f: %.0f msg/s per bot, %.1f msg/s per chat%n", messages,
                    chats, scale, globalRate, chatRate);
            if (Boolean.getBoolean("diag")) {
                Run d = run("one node, per-node pacing (diagnostic)", pool, fake, 1, PerNodePacingStore::new, messages,
                        chats, scale);
                System.out.printf(Locale.ROOT, "%s: %.1f msg/s, %d 429%n", d.name, d.rate, d.rejected429);
            }
            Run one = run("one node", pool, fake, 1, s -> s, messages, chats, scale);
            Run two = run("two nodes, shared pacing", pool, fake, 2, s -> s, messages, chats, scale);
            Run perNode = run("two nodes, per-node pacing (baseline)", pool, fake, 2, PerNodePacingStore::new,
                    messages, chats, scale);
            for (Run r : List.of(one, two, perNode)) {
                System.out.printf(Locale.ROOT, "%-38s: %d delivered, %d stored SENT, %d answered 429 (%d by the "
                        + "per-chat limit), %.2f s = %.1f msg/s = %.1f%% of the allowed %.0f msg/s%s%n", r.name,
                        r.accepted, r.storedSent, r.rejected429, r.rejectedPerChat, r.seconds, r.rate,
                        100 * r.rate / globalRate, globalRate,
                        r.verified ? "" : "  NOT VERIFIED");
            }
            boolean pass = one.verified && two.verified && one.rejected429 == 0 && two.rejected429 == 0
                    && one.rate >= 0.95 * globalRate && two.rate >= 0.95 * globalRate;
            System.out.println(pass ? "RESULT: PASS (>= 95% of the allowed rate, zero 429, on one and two nodes)"
                    : "RESULT: FAIL");
            System.exit(pass ? 0 : 1);
        }
    }

    private record Run(String name, long accepted, long storedSent, long rejected429, long rejectedPerChat,
                       double seconds, double rate, boolean verified) {
    }

    private static Run run(String name, HikariDataSource pool, TelegramFake fake, int nodes,
                           UnaryOperator<InboxStore> wrap, int messages, int chats, double scale) throws Exception {
        String schema = "bench_tg_send_" + ProcessHandle.current().pid() + "_" + nodes + "_"
                + (name.contains("baseline") ? "b" : "s");
        List<InboxStore> stores = new ArrayList<>();
        List<Inbox> inboxes = new ArrayList<>();
        List<TelegramChannel> channels = new ArrayList<>();
        try {
            for (int n = 0; n < nodes; n++) {
                JdbcInboxStore.Builder b = JdbcInboxStore.builder().dataSource(pool).schema(schema);
                InboxStore store = wrap.apply(n == 0 ? b.build() : b.autoMigrate(false).build());
                stores.add(store);
                TelegramChannel telegram = TelegramChannel.builder().id(BOT).tenant(TENANT).botToken(TOKEN)
                        .apiBaseUrl(fake.url()).build();
                channels.add(telegram);
                Inbox.Builder builder = Inbox.builder();
                if (Integer.getInteger("outbox.workers") != null) {
                    builder.outbox(dev.switchboard.inbox.OutboxSettings.builder()
                            .workers(Integer.getInteger("outbox.workers")).build());
                }
                Inbox inbox = builder.store(store).nodeId("node-" + (n + 1))
                        .channel(new TimeScaledChannel(telegram, scale)).build();
                inbox.start();
                inboxes.add(inbox);
            }
            List<ConversationId> conversations = seed(inboxes.get(0), chats);
            fake.reset();
            // agents answering at once: replies are written by several threads, so writing them is not what limits
            // the send rate being measured
            java.util.concurrent.ExecutorService agents = java.util.concurrent.Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> written = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                int reply = i;
                written.add(agents.submit(() -> inboxes.get(reply % nodes).reply(TENANT,
                        conversations.get(reply % chats), Content.text("Reply " + reply), ReplyOptions.defaults())));
            }
            for (java.util.concurrent.Future<?> f : written) {
                f.get(10, TimeUnit.MINUTES);
            }
            agents.shutdown();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (fake.delivered().size() < messages && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<TelegramFake.Delivered> delivered = fake.delivered();
            long accepted = delivered.size();
            long rejected = fake.rateLimitedSends();
            long rejectedPerChat = fake.rateLimitedByChatLimit();
            double seconds = accepted == 0 ? 0 : Duration.between(delivered.get(0).sentAt(),
                    delivered.get(delivered.size() - 1).sentAt()).toNanos() / 1e9;
            double rate = accepted > 1 ? (accepted - 1) / seconds : 0;
            // the store must say the same before the rate counts: every reply recorded SENT, nothing pending
            long storedSent = 0;
            long pending = -1;
            for (int attempt = 0; attempt < 200; attempt++) {
                long[] counts = outboxCounts(pool, schema);
                storedSent = counts[0];
                pending = counts[1];
                if (storedSent == messages && pending == 0) {
                    break;
                }
                Thread.sleep(50);
            }
            boolean verified = accepted == messages && storedSent == messages && pending == 0;
            return new Run(name, accepted, storedSent, rejected, rejectedPerChat, seconds, rate, verified);
        } finally {
            for (Inbox inbox : inboxes) {
                inbox.close();
            }
            for (InboxStore store : stores) {
                store.close();
            }
            for (TelegramChannel c : channels) {
                c.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
        }
    }

    /** One customer message per chat, so each chat has a conversation to reply in; returns them in chat order. */
    private static List<ConversationId> seed(Inbox inbox, int chats) throws Exception {
        var sink = inbox.sink(TENANT, BOT);
        for (int i = 0; i < chats; i++) {
            String chat = Long.toString(100_000_000L + i);
            sink.deliver(InboundEvent.MessageReceived.of("seed-" + i, ChannelAccount.of(TENANT, BOT, chat,
                    Profile.EMPTY), Instant.now(), "in-" + i, Content.text("Hello from chat " + i)))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        Map<String, ConversationId> byChat = new HashMap<>();
        for (Conversation c : inbox.conversations(ConversationQuery.all(TENANT, chats + 10)).items()) {
            byChat.put(inbox.messages(TENANT, c.id()).get(0).account().platformUserId(), c.id());
        }
        List<ConversationId> ordered = new ArrayList<>();
        for (int i = 0; i < chats; i++) {
            ordered.add(byChat.get(Long.toString(100_000_000L + i)));
        }
        return ordered;
    }

    private static long[] outboxCounts(HikariDataSource pool, String schema) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FILTER (WHERE status = 'SENT'), COUNT(*) FILTER (WHERE "
                     + "status = 'PENDING') FROM \"" + schema + "\".sb_outbox")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }
}
