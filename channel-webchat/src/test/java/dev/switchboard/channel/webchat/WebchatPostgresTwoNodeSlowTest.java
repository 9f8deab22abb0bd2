package dev.switchboard.channel.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Message;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * {@link WebchatTwoNodeSlowTest} on PostgreSQL: two inbox nodes, each with its own connection pool and its own
 * {@code JdbcInboxStore} over one schema (as two processes), each running the same website chat. The chats never
 * poll (their poll intervals are a day), so a reply sent through the other node can only reach the visitor's open
 * stream through {@code LISTEN}/{@code NOTIFY}. The visitor talks to node A, agents reply through node B, the visitor
 * moves to node B mid-conversation and re-sends its last message, agents now reply through A: every visitor message
 * is stored once, every reply reaches the visitor once, in sequence order. Skipped when PostgreSQL (127.0.0.1:5432,
 * or {@code SWITCHBOARD_PG_URL}/{@code SWITCHBOARD_PG_USER}) is not reachable.
 */
@Tag("slow")
class WebchatPostgresTwoNodeSlowTest {
    private static final String URL = env("SWITCHBOARD_PG_URL", "jdbc:postgresql://127.0.0.1:5432/switchboard_test");
    private static final String USER = env("SWITCHBOARD_PG_USER", "postgres");
    private static final byte[] SECRET = "two-node-token-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private final String schema = "t_webchat2n_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<Inbox> inboxes = new ArrayList<>();
    private final List<JdbcInboxStore> stores = new ArrayList<>();
    private final List<JdbcConnectionPool> pools = new ArrayList<>();

    @BeforeEach
    void assumePostgres() {
        try (Connection c = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?")
                + "connectTimeout=3&loginTimeout=3", USER, "")) {
            Assumptions.assumeTrue(c.isValid(3), "PostgreSQL is not reachable");
        } catch (SQLException e) {
            Assumptions.abort("PostgreSQL is not reachable: " + e.getMessage());
        }
    }

    @AfterEach
    void close() throws SQLException {
        inboxes.forEach(Inbox::close);
        stores.forEach(JdbcInboxStore::close);
        pools.forEach(JdbcConnectionPool::dispose);
        try (Connection c = DriverManager.getConnection(URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }

    /** One node's store: its own pool over the shared schema (the first one migrates it). */
    private JdbcInboxStore store(String node) {
        PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
        ds.setURL(URL);
        ds.setUser(USER);
        ds.setApplicationName("webchat-two-node-" + node);
        JdbcConnectionPool pool = JdbcConnectionPool.create(ds);
        pool.setMaxConnections(10);
        pool.setLoginTimeout(30);
        pools.add(pool);
        JdbcInboxStore store = JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
        stores.add(store);
        return store;
    }

    private Inbox node(JdbcInboxStore store, String nodeId, WebchatChannel chat) {
        Inbox inbox = Inbox.builder().store(store).nodeId(nodeId).channel(chat)
                .eventPollInterval(Duration.ofMillis(50))
                .leaseCheckInterval(Duration.ofMillis(200))
                .outbox(OutboxSettings.builder().pollInterval(Duration.ofMillis(20))
                        .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).sendTimeout(Duration.ofSeconds(5))
                        .leaseDuration(Duration.ofSeconds(10)).build())
                .build();
        inbox.start();
        inboxes.add(inbox);
        return inbox;
    }

    /** A chat that never polls for other nodes' events: only notifications wake its streams. */
    private static WebchatChannel chat() {
        return WebchatChannel.builder().tokenSecret(SECRET).agentsOnline(true)
                .remoteEventsInterval(Duration.ofDays(1)).remoteEventsSafetyInterval(Duration.ofDays(1)).build();
    }

    @Test
    void aVisitorSwitchingNodesMidConversationLosesAndDoublesNothing() {
        WebchatChannel chatA = chat();
        WebchatChannel chatB = chat();
        Inbox a = node(store("a"), "a", chatA);
        Inbox b = node(store("b"), "b", chatB);

        WebhookResponse created = chatA.endpoint().handle(new WebhookRequest("POST", "/webchat/session", Map.of(),
                Map.of(), "{}".getBytes(StandardCharsets.UTF_8), Optional.empty())).toCompletableFuture().join();
        String token = WebchatEndpointTest.parse(created.bodyAsUtf8()).path("token").asText();

        RecordingConnection onA = new RecordingConnection();
        VisitorStream stream = chatA.endpoint().open(token, OptionalLong.of(0), "1.1.1.1", onA);
        ConversationId conversation = null;
        for (int i = 1; i <= 3; i++) {
            stream.onFrame(WebchatEndpointTest.message("v" + i, "visitor " + i));
            int visitorCount = i;
            await().atMost(Duration.ofSeconds(20)).until(() -> onA.messagesFrom("visitor").size() == visitorCount);
            if (conversation == null) {
                conversation = awaitConversation(b);
            }
            b.reply(conversation, Content.text("agent " + i));
            await().atMost(Duration.ofSeconds(20)).until(() -> onA.messagesFrom("agent").size() == visitorCount);
        }

        // The visitor's connection drops; it reconnects to node B from the last event it saw and re-sends its last
        // message (as a widget does when it is unsure the message was stored).
        long seen = onA.seqs.stream().mapToLong(Long::longValue).max().orElseThrow();
        stream.onClose();
        RecordingConnection onB = new RecordingConnection();
        stream = chatB.endpoint().open(token, OptionalLong.of(seen), "1.1.1.1", onB);
        stream.onFrame(WebchatEndpointTest.message("v3", "visitor 3"));
        await().atMost(Duration.ofSeconds(20)).until(() -> onB.ofType("ack").size() == 1);
        for (int i = 4; i <= 6; i++) {
            stream.onFrame(WebchatEndpointTest.message("v" + i, "visitor " + i));
            int onBCount = i - 3;
            await().atMost(Duration.ofSeconds(20)).until(() -> onB.messagesFrom("visitor").size() == onBCount);
            a.reply(conversation, Content.text("agent " + i));
            await().atMost(Duration.ofSeconds(20)).until(() -> onB.messagesFrom("agent").size() == onBCount);
        }

        // What the visitor saw, across both connections, by sequence number: each event once, none missing.
        TreeMap<Long, JsonNode> bySeq = new TreeMap<>();
        for (RecordingConnection c : List.of(onA, onB)) {
            for (JsonNode f : c.frames) {
                if (f.has("seq") && f.path("type").asText().equals("message")) {
                    assertThat(bySeq.put(f.path("seq").asLong(), f)).as("seq %s seen twice", f.path("seq")).isNull();
                }
            }
        }
        List<String> texts = bySeq.values().stream().map(f -> f.path("text").asText()).toList();
        assertThat(texts).containsExactly("visitor 1", "agent 1", "visitor 2", "agent 2", "visitor 3", "agent 3",
                "visitor 4", "agent 4", "visitor 5", "agent 5", "visitor 6", "agent 6");

        List<Message> stored = a.messages(conversation);
        assertThat(stored.stream().filter(m -> m.direction() == Direction.INBOUND)).hasSize(6);
        assertThat(stored.stream().filter(m -> m.direction() == Direction.OUTBOUND)).hasSize(6);
    }

    private static ConversationId awaitConversation(Inbox inbox) {
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.events(0, 100).stream()
                .anyMatch(e -> e.conversation().isPresent()));
        return inbox.events(0, 100).stream().map(InboxEvent::conversation).flatMap(Optional::stream).findFirst()
                .orElseThrow();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
