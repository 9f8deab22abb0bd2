package dev.switchboard.bench.h2;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * How big the zero-setup H2 file ({@link JdbcInboxStore#h2File(Path)}) grows against the data it holds, under the
 * demo's kind of load: customers writing one at a time (each message its own transaction, as a chat customer's would
 * be) and an agent answering each through the outbox. Reports the file size while running (peak), after the store
 * closed, and the live size (the same file fully compacted with {@code SHUTDOWN COMPACT}), and checks that every
 * message and reply was stored before it reports.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.h2.H2FileGrowth [messages=3000]
 * [customers=300]}
 */
public final class H2FileGrowth {
    private static final TenantId TENANT = TenantId.DEFAULT;
    private static final ChannelId CHAT = ChannelId.of("chat");

    private H2FileGrowth() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int customers = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path dir = Files.createTempDirectory("switchboard-h2-growth-");
        Path file = dir.resolve("switchboard.mv.db");
        EchoChannel channel = new EchoChannel();
        long peak = 0;
        long started = System.nanoTime();
        JdbcInboxStore store = JdbcInboxStore.h2File(dir);
        Inbox inbox = Inbox.builder().store(store).channel(channel).build();
        inbox.start();
        InboundSink sink = inbox.sink(TENANT, CHAT);
        for (int i = 0; i < messages; i++) {
            String user = "visitor-" + (i % customers);
            ChannelAccount account = ChannelAccount.of(TENANT, CHAT, user, Profile.EMPTY);
            sink.deliver(InboundEvent.MessageReceived.of("e-" + i, account, Instant.now(), "m-" + i,
                    Content.text("Hello, I have a question about my order number " + i + ", when will it arrive?")))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            Conversation c = inbox.conversations(ConversationQuery.all(TENANT, 1)).items().get(0);
            inbox.reply(TENANT, c.id(), Content.text("Thank you! Order " + i + " leaves the warehouse tomorrow."),
                    dev.switchboard.inbox.ReplyOptions.defaults());
            if (i % 100 == 99) {
                peak = Math.max(peak, Files.size(file));
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (inbox.pendingOutboxCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        peak = Math.max(peak, Files.size(file));
        long pending = inbox.pendingOutboxCount();
        inbox.close();
        store.close();
        double seconds = (System.nanoTime() - started) / 1e9;
        long closed = Files.size(file);

        String url = "jdbc:h2:file:" + dir.resolve("switchboard") + ";MODE=PostgreSQL";
        long stored;
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sb_message")) {
                rs.next();
                stored = rs.getLong(1);
            }
            s.execute("SHUTDOWN COMPACT");
        }
        long live = Files.size(file);
        System.out.printf(Locale.ROOT, "H2 file growth: %d inbound messages from %d customers, one reply each, %.1f s%n",
                messages, customers, seconds);
        System.out.printf(Locale.ROOT, "stored messages: %d (expected %d), replies sent: %d, outbox pending: %d%n",
                stored, 2L * messages, channel.sent.get(), pending);
        System.out.printf(Locale.ROOT, "file while running (peak): %.1f MiB = %.1fx live%n", mib(peak),
                (double) peak / live);
        System.out.printf(Locale.ROOT, "file after close        : %.1f MiB = %.1fx live%n", mib(closed),
                (double) closed / live);
        System.out.printf(Locale.ROOT, "live (SHUTDOWN COMPACT) : %.1f MiB%n", mib(live));
        boolean verified = stored == 2L * messages && channel.sent.get() == messages && pending == 0;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        if (!verified) {
            System.out.println("RESULT: FAIL (not everything was stored and sent)");
            System.exit(1);
        }
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** A channel that accepts every send at once. */
    private static final class EchoChannel implements Channel {
        final AtomicLong sent = new AtomicLong();

        @Override
        public ChannelId id() {
            return CHAT;
        }

        @Override
        public ChannelType type() {
            return ChannelType.WEBCHAT;
        }

        @Override
        public TenantId tenant() {
            return TENANT;
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
            return CompletableFuture.completedFuture(new SendReceipt("out-" + sent.incrementAndGet(), Instant.now()));
        }

        @Override
        public CompletionStage<Void> stop() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
