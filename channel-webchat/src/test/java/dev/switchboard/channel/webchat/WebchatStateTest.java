package dev.switchboard.channel.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.testkit.KitAccounts;
import dev.switchboard.testkit.RecordingInboundSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two website-chat nodes bound to one channel state (as two inbox nodes over one database): a visitor who switches
 * nodes mid-conversation keeps its session, resumes from its last sequence number with the replies it missed, and
 * nothing is lost or stored twice.
 */
class WebchatStateTest {
    private static final byte[] SECRET = "state-test-token-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private final RecordingInboundSink sink = new RecordingInboundSink();
    private final List<WebchatChannel> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(n -> n.stop().toCompletableFuture().join());
    }

    private WebchatChannel node(Optional<ChannelState> state) {
        return node(state, Duration.ofMillis(20), Duration.ofMillis(20));
    }

    private WebchatChannel node(Optional<ChannelState> state, Duration poll, Duration safetyPoll) {
        WebchatChannel c = WebchatChannel.builder().tokenSecret(SECRET).agentsOnline(true)
                .remoteEventsInterval(poll).remoteEventsSafetyInterval(safetyPoll).build();
        state.ifPresent(c::bindState);
        c.start(sink).toCompletableFuture().join();
        nodes.add(c);
        return c;
    }

    private static JsonNode newSession(WebchatChannel node) {
        WebhookResponse r = node.endpoint().handle(new WebhookRequest("POST", "/webchat/session", Map.of(), Map.of(),
                "{}".getBytes(StandardCharsets.UTF_8), Optional.empty())).toCompletableFuture().join();
        return WebchatEndpointTest.parse(r.bodyAsUtf8());
    }

    @Test
    void aVisitorSwitchingNodesMidConversationLosesAndDoublesNothing() {
        ChannelState shared = ChannelState.inMemory();
        WebchatChannel a = node(Optional.of(shared));
        WebchatChannel b = node(Optional.of(shared));

        JsonNode session = newSession(a);
        String token = session.path("token").asText();
        String sid = session.path("sessionId").asText();
        RecordingConnection onA = new RecordingConnection();
        VisitorStream streamA = a.endpoint().open(token, OptionalLong.of(0), "1.1.1.1", onA);
        streamA.onFrame(WebchatEndpointTest.message("m1", "hello from A"));
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.messagesFrom("visitor").size() == 1);
        long seenOnA = onA.seqs.stream().mapToLong(Long::longValue).max().orElseThrow();

        // An agent reply goes out through node B while the visitor is still connected to A, then the visitor moves.
        b.send(KitAccounts.text(b, sid, "reply 1")).toCompletableFuture().join();
        streamA.onClose();
        RecordingConnection onB = new RecordingConnection();
        VisitorStream streamB = b.endpoint().open(token, OptionalLong.of(seenOnA), "1.1.1.1", onB);
        assertThat(onB.messagesFrom("agent")).extracting(n -> n.path("text").asText()).containsExactly("reply 1");

        // The widget re-sends its last message (no ack seen) and a new one, now on B.
        streamB.onFrame(WebchatEndpointTest.message("m1", "hello from A"));
        streamB.onFrame(WebchatEndpointTest.message("m2", "hello from B"));
        await().atMost(Duration.ofSeconds(5)).until(() -> onB.ofType("ack").size() == 1
                && onB.messagesFrom("visitor").size() == 1);
        assertThat(onB.messagesFrom("visitor").get(0).path("text").asText()).isEqualTo("hello from B");
        assertThat(sink.events()).as("stored once each").hasSize(2);

        WebhookResponse r = a.endpoint().handle(new WebhookRequest("GET", "/webchat/history",
                Map.of("token", List.of(token)), Map.of(), new byte[0], Optional.empty())).toCompletableFuture().join();
        JsonNode events = WebchatEndpointTest.parse(r.bodyAsUtf8()).path("events");
        List<String> texts = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        events.forEach(e -> {
            texts.add(e.path("text").asText());
            seqs.add(e.path("seq").asLong());
        });
        assertThat(texts).as("history on node A").containsExactly("hello from A", "reply 1", "hello from B");
        assertThat(seqs).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void aReplySentThroughAnotherNodeReachesTheVisitorsStreamOnceAndInOrder() {
        ChannelState shared = ChannelState.inMemory();
        WebchatChannel a = node(Optional.of(shared));
        WebchatChannel b = node(Optional.of(shared));
        JsonNode session = newSession(a);
        String sid = session.path("sessionId").asText();
        RecordingConnection onA = new RecordingConnection();
        VisitorStream stream = a.endpoint().open(session.path("token").asText(), OptionalLong.of(0), "1.1.1.1", onA);

        b.send(KitAccounts.text(b, sid, "from B 1")).toCompletableFuture().join();
        b.send(KitAccounts.text(b, sid, "from B 2")).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> onA.messagesFrom("agent").size() == 2);
        // A reply through A itself right after one through B: both arrive, in sequence order, once.
        b.send(KitAccounts.text(b, sid, "from B 3")).toCompletableFuture().join();
        a.send(KitAccounts.text(a, sid, "from A")).toCompletableFuture().join();
        stream.onFrame(WebchatEndpointTest.message("v1", "thanks"));
        await().atMost(Duration.ofSeconds(10)).until(() -> onA.messagesFrom("visitor").size() == 1);
        a.endpoint().catchUpRemoteEvents();

        assertThat(onA.messagesFrom("agent")).extracting(n -> n.path("text").asText())
                .containsExactly("from B 1", "from B 2", "from B 3", "from A");
        List<Long> seqs = onA.frames.stream().filter(f -> f.has("seq")).map(f -> f.path("seq").asLong()).toList();
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aStateThatAnnouncesAppendsWakesTheVisitorsStreamWithoutPolling() {
        ChannelState shared = ChannelState.inMemory();
        Duration never = Duration.ofDays(1);
        WebchatChannel a = node(Optional.of(shared), never, never);
        WebchatChannel b = node(Optional.of(shared), never, never);
        JsonNode session = newSession(a);
        RecordingConnection onA = new RecordingConnection();
        a.endpoint().open(session.path("token").asText(), OptionalLong.of(0), "1.1.1.1", onA);

        b.send(KitAccounts.text(b, session.path("sessionId").asText(), "woken")).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(30)).until(() -> onA.messagesFrom("agent").size() == 1);
        assertThat(onA.messagesFrom("agent").get(0).path("text").asText()).isEqualTo("woken");
    }

    @Test
    void inboxesSharingAnInMemoryStoreAreWokenByEachOthersAppends() {
        dev.switchboard.inbox.memory.InMemoryInboxStore store = new dev.switchboard.inbox.memory.InMemoryInboxStore();
        Duration never = Duration.ofDays(1);
        WebchatChannel a = node(Optional.of(dev.switchboard.inbox.StoreChannelState.of(store,
                dev.switchboard.model.TenantId.DEFAULT, dev.switchboard.model.ChannelId.of("webchat"),
                java.time.Clock.systemUTC())), never, never);
        WebchatChannel b = node(Optional.of(dev.switchboard.inbox.StoreChannelState.of(store,
                dev.switchboard.model.TenantId.DEFAULT, dev.switchboard.model.ChannelId.of("webchat"),
                java.time.Clock.systemUTC())), never, never);
        JsonNode session = newSession(a);
        RecordingConnection onA = new RecordingConnection();
        a.endpoint().open(session.path("token").asText(), OptionalLong.of(0), "1.1.1.1", onA);

        b.send(KitAccounts.text(b, session.path("sessionId").asText(), "woken")).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(30)).until(() -> onA.messagesFrom("agent").size() == 1);
    }

    @Test
    void aStateThatCannotAnnounceAppendsIsPolled() {
        ChannelState shared = new Silent(ChannelState.inMemory());
        WebchatChannel a = node(Optional.of(shared), Duration.ofMillis(20), Duration.ofDays(1));
        WebchatChannel b = node(Optional.of(shared), Duration.ofMillis(20), Duration.ofDays(1));
        JsonNode session = newSession(a);
        RecordingConnection onA = new RecordingConnection();
        a.endpoint().open(session.path("token").asText(), OptionalLong.of(0), "1.1.1.1", onA);

        b.send(KitAccounts.text(b, session.path("sessionId").asText(), "polled")).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(30)).until(() -> onA.messagesFrom("agent").size() == 1);
    }

    /** A shared state without {@link ChannelState#watch} (as a store on MariaDB or H2). */
    private record Silent(ChannelState in) implements ChannelState {
        @Override
        public java.util.concurrent.CompletionStage<Optional<dev.switchboard.channel.state.StateRecord>> get(
                String key) {
            return in.get(key);
        }

        @Override
        public java.util.concurrent.CompletionStage<dev.switchboard.channel.state.StateRecord> put(String key,
                String value, Optional<Duration> ttl) {
            return in.put(key, value, ttl);
        }

        @Override
        public java.util.concurrent.CompletionStage<Optional<dev.switchboard.channel.state.StateRecord>>
                compareAndSet(String key, long expectedVersion, String value, Optional<Duration> ttl) {
            return in.compareAndSet(key, expectedVersion, value, ttl);
        }

        @Override
        public java.util.concurrent.CompletionStage<Boolean> delete(String key) {
            return in.delete(key);
        }

        @Override
        public java.util.concurrent.CompletionStage<dev.switchboard.channel.state.LogEntry> append(String log,
                java.util.function.LongFunction<String> valueOfSeq) {
            return in.append(log, valueOfSeq);
        }

        @Override
        public java.util.concurrent.CompletionStage<Long> lastSeq(String log) {
            return in.lastSeq(log);
        }

        @Override
        public java.util.concurrent.CompletionStage<List<dev.switchboard.channel.state.LogEntry>> read(String log,
                long afterSeq, int limit) {
            return in.read(log, afterSeq, limit);
        }
    }

    @Test
    void withoutSharedStateAnotherNodeDoesNotKnowTheVisitor() {
        WebchatChannel a = node(Optional.empty());
        WebchatChannel b = node(Optional.empty());
        JsonNode session = newSession(a);
        RecordingConnection onB = new RecordingConnection();
        b.endpoint().open(session.path("token").asText(), OptionalLong.of(0), "1.1.1.1", onB);
        assertThat(onB.ofType("ready")).isEmpty();
    }
}
