package dev.switchboard.channel.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import dev.switchboard.testkit.KitAccounts;
import dev.switchboard.testkit.RecordingInboundSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport-neutral core: sessions, identity, isolation, idempotence, ack after commit, resume, presence. */
class WebchatEndpointTest {
    static final byte[] TOKEN_SECRET = "endpoint-test-token-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    static final byte[] IDENTITY_SECRET = "host-identity-secret-xyz".getBytes(StandardCharsets.UTF_8);

    RecordingInboundSink sink = new RecordingInboundSink();
    List<TranscriptSender.Transcript> transcripts = new CopyOnWriteArrayList<>();
    WebchatChannel channel;

    @BeforeEach
    void start() {
        channel = build(new InMemoryWebchatLog());
    }

    WebchatChannel build(WebchatLog log) {
        WebchatChannel c = WebchatChannel.builder().tokenSecret(TOKEN_SECRET).identitySecret(IDENTITY_SECRET)
                .log(log).agentsOnline(true)
                .transcriptSender(t -> {
                    transcripts.add(t);
                    return CompletableFuture.completedFuture(null);
                }).build();
        c.start(sink).toCompletableFuture().join();
        return c;
    }

    JsonNode call(String method, String path, String body) {
        WebhookResponse r = channel.endpoint().handle(new WebhookRequest(method, path, Map.of(), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), Optional.empty())).toCompletableFuture().join();
        JsonNode n = parse(r.bodyAsUtf8());
        ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("_status", r.status());
        return n;
    }

    JsonNode get(String pathWithQuery) {
        int q = pathWithQuery.indexOf('?');
        Map<String, List<String>> query = q < 0 ? Map.of()
                : Map.of("token", List.of(pathWithQuery.substring(q + "?token=".length())));
        WebhookResponse r = channel.endpoint().handle(new WebhookRequest("GET", q < 0 ? pathWithQuery
                : pathWithQuery.substring(0, q), query, Map.of(), new byte[0], Optional.empty()))
                .toCompletableFuture().join();
        JsonNode n = parse(r.bodyAsUtf8());
        ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("_status", r.status());
        return n;
    }

    static JsonNode parse(String s) {
        try {
            return RecordingConnection.JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String message(String clientId, String text) {
        return RecordingConnection.JSON.createObjectNode().put("type", "message").put("clientId", clientId)
                .put("text", text).toString();
    }

    @Test
    void signedHostIdentityBecomesVerifiedEvidence() {
        String signed = WebchatIdentity.sign(IDENTITY_SECRET, IdentityClaims.of("user-42", java.time.Instant.now()));
        JsonNode s = call("POST", "/webchat/session", "{\"user\":{\"id\":\"user-42\",\"token\":\"" + signed + "\"}}");
        assertThat(s.path("verified").asBoolean()).isTrue();
        RecordingConnection c = new RecordingConnection();
        channel.endpoint().open(s.path("token").asText(), OptionalLong.of(0), "1.2.3.4", c).onFrame(message("a", "hi"));
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.events().size() == 1);
        assertThat(sink.events().get(0).evidence()).containsExactly(Evidence.verified(
                ContactPoint.externalId("user-42"), "webchat.hmac", sink.events().get(0).occurredAt()));

        // The same user on another device gets the same conversation.
        JsonNode again = call("POST", "/webchat/session", "{\"user\":{\"id\":\"user-42\",\"token\":\"" + signed + "\"}}");
        assertThat(again.path("sessionId").asText()).isEqualTo(s.path("sessionId").asText());
    }

    @Test
    void forgedHmacIsRejectedAndTheSessionIsAnonymous() {
        String forged = WebchatIdentity.sign("another-secret-of-16+bytes".getBytes(StandardCharsets.UTF_8),
                IdentityClaims.of("user-42", java.time.Instant.now()));
        JsonNode s = call("POST", "/webchat/session", "{\"user\":{\"id\":\"user-42\",\"token\":\"" + forged + "\"}}");
        assertThat(s.path("verified").asBoolean()).isFalse();
        assertThat(s.path("identity").asText()).isEqualTo("rejected");
        assertThat(s.path("error").path("code").asText()).isEqualTo("identity_rejected");
        RecordingConnection c = new RecordingConnection();
        channel.endpoint().open(s.path("token").asText(), OptionalLong.of(0), "1.2.3.4", c).onFrame(message("a", "hi"));
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.events().size() == 1);
        assertThat(sink.events().get(0).evidence()).isEmpty();
        assertThat(c.ofType("ready").get(0).path("verified").asBoolean()).isFalse();
    }

    @Test
    void aVisitorCannotReadOrWriteAnotherVisitorsConversation() {
        JsonNode a = call("POST", "/webchat/session", "{}");
        JsonNode b = call("POST", "/webchat/session", "{}");
        RecordingConnection ca = new RecordingConnection();
        channel.endpoint().open(a.path("token").asText(), OptionalLong.of(0), "1.1.1.1", ca)
                .onFrame(message("x", "secret of A"));
        await().atMost(Duration.ofSeconds(5)).until(() -> ca.messagesFrom("visitor").size() == 1);

        // B's own token shows only B's (empty) history.
        assertThat(get("/webchat/history?token=" + b.path("token").asText()).path("events")).isEmpty();
        // A token naming A's session with B's signature (or any forged signature) is refused everywhere.
        String tokenA = a.path("token").asText();
        String tokenB = b.path("token").asText();
        String spliced = tokenA.substring(0, tokenA.indexOf('.')) + tokenB.substring(tokenB.indexOf('.'));
        assertThat(get("/webchat/history?token=" + spliced).path("_status").asInt()).isEqualTo(401);
        RecordingConnection intruder = new RecordingConnection();
        channel.endpoint().open(spliced, OptionalLong.of(0), "6.6.6.6", intruder);
        assertThat(intruder.closed).isTrue();
        assertThat(intruder.ofType("error").get(0).path("code").asText()).isEqualTo("invalid_token");
        assertThat(intruder.ofType("message")).isEmpty();
        // An agent message to A reaches only A's streams.
        RecordingConnection cb = new RecordingConnection();
        channel.endpoint().open(tokenB, OptionalLong.of(0), "2.2.2.2", cb);
        channel.send(KitAccounts.text(channel, a.path("sessionId").asText(), "for A only")).toCompletableFuture()
                .join();
        assertThat(ca.messagesFrom("agent")).hasSize(1);
        assertThat(cb.messagesFrom("agent")).isEmpty();
    }

    @Test
    void sameClientIdIsStoredOnceAndAcknowledgedAgain() {
        JsonNode s = call("POST", "/webchat/session", "{}");
        RecordingConnection c = new RecordingConnection();
        VisitorStream stream = channel.endpoint().open(s.path("token").asText(), OptionalLong.of(0),
                "1.1.1.1", c);
        stream.onFrame(message("same-id", "hello"));
        stream.onFrame(message("same-id", "hello"));
        await().atMost(Duration.ofSeconds(5)).until(() -> c.ofType("ack").size() == 1);
        assertThat(sink.events()).hasSize(1);
        assertThat(c.messagesFrom("visitor")).hasSize(1);
        assertThat(c.ofType("ack").get(0).path("messageSeq").asLong())
                .isEqualTo(c.messagesFrom("visitor").get(0).path("seq").asLong());
    }

    @Test
    void theVisitorSeesItsMessageOnlyAfterTheInboxCommitted() {
        JsonNode s = call("POST", "/webchat/session", "{}");
        RecordingConnection c = new RecordingConnection();
        VisitorStream stream = channel.endpoint().open(s.path("token").asText(), OptionalLong.of(0),
                "1.1.1.1", c);
        sink.failNextDeliveries(1);
        stream.onFrame(message("m1", "first try fails"));
        await().atMost(Duration.ofSeconds(5)).until(() -> c.ofType("error").size() == 1);
        assertThat(c.ofType("error").get(0).path("code").asText()).isEqualTo("not_stored");
        assertThat(c.messagesFrom("visitor")).isEmpty();
        stream.onFrame(message("m1", "first try fails"));
        await().atMost(Duration.ofSeconds(5)).until(() -> c.messagesFrom("visitor").size() == 1);
        assertThat(sink.events()).hasSize(1);
    }

    @Test
    void resumeSendsExactlyTheMissedEventsAndAGapWhenTheyAreTooOld() {
        channel = build(new InMemoryWebchatLog(3));
        JsonNode s = call("POST", "/webchat/session", "{}");
        String sid = s.path("sessionId").asText();
        for (int i = 1; i <= 5; i++) {
            channel.send(KitAccounts.text(channel, sid, "reply " + i)).toCompletableFuture().join();
        }
        RecordingConnection recent = new RecordingConnection();
        channel.endpoint().open(s.path("token").asText(), OptionalLong.of(3), "1.1.1.1", recent);
        assertThat(recent.messagesFrom("agent")).extracting(n -> n.path("text").asText())
                .containsExactly("reply 4", "reply 5");
        RecordingConnection old = new RecordingConnection();
        channel.endpoint().open(s.path("token").asText(), OptionalLong.of(1), "1.1.1.1", old);
        assertThat(old.ofType("gap")).hasSize(1);
        assertThat(old.ofType("message")).isEmpty();
        // The history endpoint still has the whole conversation.
        assertThat(get("/webchat/history?token=" + s.path("token").asText()).path("events")).hasSize(5);
    }

    @Test
    void offlineMessageCarriesTheTypedEmailAsUnverifiedEvidence() {
        channel.setAgentsOnline(false);
        JsonNode s = call("POST", "/webchat/session", "{}");
        assertThat(s.path("online").asBoolean()).isFalse();
        RecordingConnection c = new RecordingConnection();
        channel.endpoint().open(s.path("token").asText(), OptionalLong.of(0), "1.1.1.1", c)
                .onFrame("{\"type\":\"message\",\"clientId\":\"o1\",\"text\":\"call me back\",\"email\":\"ann@example.com\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.events().size() == 1);
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) sink.events().get(0);
        assertThat(m.content().plainText()).isEqualTo("call me back");
        assertThat(m.evidence()).singleElement().satisfies(e -> {
            assertThat(e.verified()).isFalse();
            assertThat(e.point()).isEqualTo(new ContactPoint(ContactPoint.Kind.EMAIL, "ann@example.com"));
        });
        channel.setAgentsOnline(true);
        assertThat(c.ofType("presence")).extracting(n -> n.path("online").asBoolean()).containsExactly(true);
    }

    @Test
    void transcriptGoesThroughTheHostsSender() {
        JsonNode s = call("POST", "/webchat/session", "{\"lang\":\"ru\"}");
        RecordingConnection c = new RecordingConnection();
        VisitorStream stream = channel.endpoint().open(s.path("token").asText(), OptionalLong.of(0),
                "1.1.1.1", c);
        stream.onFrame(message("t1", "Где мой заказ?"));
        await().atMost(Duration.ofSeconds(5)).until(() -> c.messagesFrom("visitor").size() == 1);
        channel.send(new dev.switchboard.channel.OutboundMessage(channel.id(),
                KitAccounts.account(channel, s.path("sessionId").asText()), dev.switchboard.model.MessageId.random(),
                0, dev.switchboard.render.Bubble.TextBubble.plain("Уже в пути"), "k1", Optional.empty(),
                dev.switchboard.channel.ThreadHints.NONE, Optional.of("Мария"), false)).toCompletableFuture().join();
        assertThat(c.messagesFrom("agent").get(0).path("name").asText()).isEqualTo("Мария");
        stream.onFrame("{\"type\":\"transcript\",\"email\":\"ann@example.com\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> c.ofType("transcript_sent").size() == 1);
        assertThat(transcripts).singleElement().satisfies(t -> {
            assertThat(t.email()).isEqualTo("ann@example.com");
            assertThat(t.plainText()).contains("Вы: Где мой заказ?", "Мария: Уже в пути");
        });
    }

    @Test
    void widgetIsOneSmallFileThatNeverInjectsHtml() throws Exception {
        byte[] js;
        try (var in = WebchatEndpoint.class.getResourceAsStream("widget.js")) {
            js = in.readAllBytes();
        }
        assertThat(js.length).as("widget.js must stay under 30 KB unminified").isLessThan(30 * 1024);
        String src = new String(js, StandardCharsets.UTF_8);
        assertThat(src.replaceAll("/\\*[\\s\\S]*?\\*/", "")).doesNotContain("innerHTML", "insertAdjacentHTML",
                "document.write", "eval(");
        JsonNode served = null;
        WebhookResponse r = channel.endpoint().handle(new WebhookRequest("GET", "/webchat/widget.js", Map.of(),
                Map.of(), new byte[0], Optional.empty())).toCompletableFuture().join();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(js);
        assertThat(served).isNull();
    }

    @Test
    void outsideBusinessHoursTheWidgetIsToldNobodyIsOnline() {
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(false);
        WebchatChannel c = WebchatChannel.builder().tokenSecret(TOKEN_SECRET).agentsOnline(true)
                .businessHours(at -> open.get()).build();
        channel = c;
        assertThat(c.online()).isFalse();
        JsonNode s = call("POST", "/webchat/session", "{}");
        assertThat(s.path("online").asBoolean()).isFalse();
        RecordingConnection conn = new RecordingConnection();
        c.endpoint().open(s.path("token").asText(), OptionalLong.empty(), "1.1.1.1", conn);
        assertThat(conn.ofType("ready").get(0).path("online").asBoolean()).isFalse();
        open.set(true);
        c.refreshPresence();
        assertThat(conn.ofType("presence")).extracting(n -> n.path("online").asBoolean()).containsExactly(true);
        c.refreshPresence();
        assertThat(conn.ofType("presence")).as("presence is sent only when it changes").hasSize(1);
    }

    @Test
    void toStringNeverShowsSecretsAndBuildChecksConfiguration() {
        assertThat(channel.toString() + channel.endpoint() + WebchatChannel.builder().tokenSecret(TOKEN_SECRET))
                .doesNotContain(new String(TOKEN_SECRET, StandardCharsets.UTF_8))
                .doesNotContain(new String(IDENTITY_SECRET, StandardCharsets.UTF_8));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebchatChannel.builder().build())
                .hasMessageContaining("tokenSecret is required");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebchatChannel.builder()
                .tokenSecret(new byte[8]).build()).hasMessageContaining("at least 32 bytes");
    }
}
