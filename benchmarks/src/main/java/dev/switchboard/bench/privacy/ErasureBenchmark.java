package dev.switchboard.bench.privacy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.privacy.ErasureRecord;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Direction;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Bubble;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Erasure of one customer with 10,000 messages (half outbound, each with an outbox row and its events, over 20
 * conversations) on PostgreSQL, next to 20 other customers' 10,000 messages that must survive. The baseline of the same
 * run is the bare deletion of another such customer's message rows ({@code DELETE FROM sb_message WHERE tenant = ?
 * AND customer_id = ?} in one transaction): what an erasure cannot go below. Erasures and baselines alternate on
 * fresh customers. Before reporting, every erased customer is checked to have no message, outbox row or conversation
 * left and the other customers' message count is checked unchanged.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.privacy.ErasureBenchmark \
 *     jdbc:postgresql://127.0.0.1:5432/switchboard_test postgres 10000 3
 * </pre>
 */
public final class ErasureBenchmark {
    private static final TenantId TENANT = TenantId.of("bench");
    private static final ChannelId TG = ChannelId.of("tg");
    private static final int CONVERSATIONS = 20;
    private static final int BATCH = 500;

    private ErasureBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/switchboard_test";
        String user = args.length > 1 ? args[1] : "postgres";
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String schema = "bench_erasure_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMaximumPoolSize(8);
        System.out.println("load before: " + uptime());
        try (HikariDataSource ds = new HikariDataSource(config)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA \"" + schema + "\"");
            }
            try (InboxStore store = JdbcInboxStore.builder().dataSource(ds).schema(schema).build();
                 Inbox inbox = Inbox.builder().store(store).build()) {
                // not started: an erasure needs no worker, and no outbox runner competes with the timing
                for (int i = 0; i < 20; i++) {
                    seed(store, "other-" + i, messages / 20);
                }
                long others = count(ds, schema, "sb_message");
                List<Long> erasures = new ArrayList<>();
                List<Long> baselines = new ArrayList<>();
                List<CustomerId> erased = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    CustomerId person = seed(store, "person-" + round, messages);
                    long t0 = System.nanoTime();
                    ErasureRecord r = inbox.forTenant(TENANT).privacy().erase(person, "bench");
                    erasures.add(System.nanoTime() - t0);
                    if (!r.isComplete() || r.messages() != messages) {
                        throw new IllegalStateException("erasure did not delete " + messages + " messages: " + r);
                    }
                    erased.add(person);

                    CustomerId base = seed(store, "baseline-" + round, messages);
                    baselines.add(bareDelete(ds, schema, base, messages));
                }
                for (CustomerId id : erased) {
                    check(ds, schema, id);
                }
                if (count(ds, schema, "sb_message") != others) {
                    throw new IllegalStateException("other customers' messages changed: " + others + " before, "
                            + count(ds, schema, "sb_message") + " after");
                }
                System.out.printf("PostgreSQL, %,d messages per customer, %d rounds%n", messages, rounds);
                System.out.println("erasure ms:          " + millis(erasures));
                System.out.println("bare delete ms:      " + millis(baselines));
                System.out.printf("median erasure %.0f ms, median bare delete %.0f ms, ratio %.2fx%n",
                        median(erasures) / 1e6, median(baselines) / 1e6, median(erasures) / median(baselines));
            } finally {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
                }
            }
        }
        System.out.println("load after: " + uptime());
    }

    /** A customer with an account and a phone, {@code messages} messages over 20 conversations, half outbound. */
    private static CustomerId seed(InboxStore store, String name, int messages) {
        Instant now = Instant.now();
        CustomerId id = CustomerId.of(name + "-" + UUID.randomUUID());
        ChannelAccount account = ChannelAccount.of(TENANT, TG, "u-" + id.value(), Profile.named("Name " + name));
        Customer c = Customer.create(TENANT, id, now)
                .withAccounts(List.of(new LinkedAccount(account, "bench", now, false)), now)
                .withContacts(List.of(new CustomerContact(new ContactPoint(ContactPoint.Kind.PHONE,
                        "+7916" + Math.abs(id.hashCode() % 10_000_000)), true, "bench", now, Optional.empty())), now);
        List<ConversationId> conversations = new ArrayList<>();
        store.inTransaction(tx -> {
            tx.saveCustomer(c);
            for (int i = 0; i < CONVERSATIONS; i++) {
                Conversation conv = Conversation.open(TENANT, ConversationId.random(), id, TG, now);
                tx.saveConversation(conv);
                conversations.add(conv.id());
            }
            return null;
        });
        for (int from = 0; from < messages; from += BATCH) {
            int start = from;
            int end = Math.min(messages, from + BATCH);
            store.inTransaction(tx -> {
                for (int i = start; i < end; i++) {
                    ConversationId conv = conversations.get(i % CONVERSATIONS);
                    boolean outbound = i % 2 == 1;
                    MessageId mid = MessageId.random();
                    Message m = new Message(TENANT, mid, conv, id, TG, outbound ? Direction.OUTBOUND : Direction.INBOUND,
                            account.key(), outbound ? Optional.of("agent") : Optional.empty(),
                            Content.text("message " + i + " of " + name), outbound ? Optional.empty()
                            : Optional.of("p-" + mid.value()), outbound ? DeliveryStatus.SENT : DeliveryStatus.RECEIVED,
                            Optional.empty(), now, now);
                    tx.saveMessage(m);
                    if (outbound) {
                        OutboxEntry row = OutboxEntry.pending(TENANT, new OutboundMessage(TG, account, mid, 0,
                                Bubble.TextBubble.plain("message " + i), mid.value() + ":0", Optional.empty(),
                                ThreadHints.NONE, Optional.empty(), false), now);
                        tx.enqueue(new OutboxEntry(row.id(), TENANT, row.message(), OutboxEntry.Status.SENT, 1, now,
                                Optional.empty(), Optional.empty(), Optional.empty(), now, now));
                    }
                    tx.appendEvent(new InboxEvent(0, TENANT, outbound ? InboxEvent.Type.REPLY_QUEUED
                            : InboxEvent.Type.MESSAGE_RECEIVED, Optional.of(conv), Optional.of(mid), Optional.of(id),
                            Map.of(InboxEvent.Attribute.CHANNEL, TG.value(), InboxEvent.Attribute.ACCOUNT,
                                    account.platformUserId()), now));
                }
                return null;
            });
        }
        return id;
    }

    private static long bareDelete(HikariDataSource ds, String schema, CustomerId id, int expected) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            int n;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM \"" + schema
                    + "\".sb_message WHERE tenant = ? AND customer_id = ?")) {
                ps.setString(1, TENANT.value());
                ps.setString(2, id.value());
                n = ps.executeUpdate();
            }
            c.commit();
            long took = System.nanoTime() - t0;
            if (n != expected) {
                throw new IllegalStateException("the baseline deleted " + n + " messages, not " + expected);
            }
            return took;
        }
    }

    private static void check(HikariDataSource ds, String schema, CustomerId id) throws Exception {
        for (String table : List.of("sb_message", "sb_conversation")) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM \""
                    + schema + "\"." + table + " WHERE customer_id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != 0) {
                        throw new IllegalStateException(table + " still has rows of " + id.value());
                    }
                }
            }
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM \""
                + schema + "\".sb_outbox WHERE message LIKE ?")) {
            ps.setString(1, "%u-" + id.value() + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) != 0) {
                    throw new IllegalStateException("sb_outbox still has rows of " + id.value());
                }
            }
        }
    }

    private static long count(HikariDataSource ds, String schema, String table) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"" + schema + "\"." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double median(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static List<Long> millis(List<Long> nanos) {
        return nanos.stream().map(n -> n / 1_000_000).toList();
    }

    private static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                return r.readLine();
            }
        } catch (Exception e) {
            return "unknown (" + e + ")";
        }
    }
}
