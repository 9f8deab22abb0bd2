package dev.switchboard.server.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.webchat.IdentityClaims;
import dev.switchboard.channel.webchat.WebchatChannel;
import dev.switchboard.channel.webchat.WebchatIdentity;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import dev.switchboard.testkit.RecordingInboundSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One server hosts the website chats of two shops, each a channel of its own tenant under its own base path with its
 * own secrets, allowed origins and presence: sessions, history, identity signatures and origins stay isolated (a
 * visitor token of one site is refused on the other, over HTTP and over the WebSocket).
 */
class MultiSiteWebchatTest {
    static final byte[] IDENTITY_A = "identity-secret-of-shop-a-123".getBytes(StandardCharsets.UTF_8);
    static final byte[] IDENTITY_B = "identity-secret-of-shop-b-456".getBytes(StandardCharsets.UTF_8);
    final RecordingInboundSink sinkA = new RecordingInboundSink();
    final RecordingInboundSink sinkB = new RecordingInboundSink();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    WebchatChannel shopA;
    WebchatChannel shopB;
    SwitchboardServer server;

    @BeforeEach
    void start() {
        shopA = site("a", IDENTITY_A, true);
        shopB = site("b", IDENTITY_B, false);
        shopA.start(sinkA).toCompletableFuture().join();
        shopB.start(sinkB).toCompletableFuture().join();
        server = SwitchboardServer.builder().host("127.0.0.1").port(0).channel(shopA).channel(shopB).build().start();
    }

    static WebchatChannel site(String name, byte[] identitySecret, boolean online) {
        return WebchatChannel.builder().id(ChannelId.of("webchat-" + name)).tenant(TenantId.of("shop-" + name))
                .basePath("/webchat/shop-" + name)
                .tokenSecret(("token-secret-of-shop-" + name + "-0123456789abcdef").getBytes(StandardCharsets.UTF_8))
                .identitySecret(identitySecret).allowedOrigins(Set.of("https://shop-" + name + ".example"))
                .agentsOnline(online).build();
    }

    @AfterEach
    void stop() {
        server.stop();
        shopA.stop();
        shopB.stop();
    }

    private HttpResponse<String> call(String method, String path, String origin, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Origin", origin).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode session(String site, String body) throws Exception {
        HttpResponse<String> r = call("POST", "/webchat/shop-" + site + "/session", "https://shop-" + site
                + ".example", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ChatFixture.json(r.body());
    }

    @Test
    void eachSiteHasItsOwnSessionsPresenceAndWidget() throws Exception {
        JsonNode a = session("a", "{}");
        JsonNode b = session("b", "{}");
        assertThat(a.path("online").asBoolean()).isTrue();
        assertThat(b.path("online").asBoolean()).isFalse();
        assertThat(call("GET", "/webchat/shop-a/widget.js", "https://shop-a.example", null).statusCode())
                .isEqualTo(200);
        assertThat(call("POST", "/webchat/session", "https://shop-a.example", "{}").statusCode())
                .as("no chat is mounted at the default path").isEqualTo(404);

        String tokenA = a.path("token").asText();
        assertThat(call("GET", "/webchat/shop-a/history?token=" + tokenA, "https://shop-a.example", null)
                .statusCode()).isEqualTo(200);
        HttpResponse<String> crossSite = call("GET", "/webchat/shop-b/history?token=" + tokenA,
                "https://shop-b.example", null);
        assertThat(crossSite.statusCode()).isEqualTo(401);
        assertThat(ChatFixture.json(crossSite.body()).path("code").asText()).isEqualTo("invalid_token");
    }

    @Test
    void aVisitorTokenOfOneSiteIsRefusedOnTheOthersWebSocketAndMessagesReachOnlyTheirTenant() throws Exception {
        String tokenA = session("a", "{}").path("token").asText();
        try (WsVisitor wrongSite = WsVisitor.connect(URI.create("ws://127.0.0.1:" + server.port()
                + "/webchat/shop-b/ws?token=" + tokenA + "&after=0"))) {
            wrongSite.await("refused", f -> f.path("code").asText().equals("invalid_token"));
            wrongSite.awaitClosed();
            assertThat(wrongSite.closeCode).isEqualTo(1008);
        }
        try (WsVisitor visitor = WsVisitor.connect(URI.create("ws://127.0.0.1:" + server.port()
                + "/webchat/shop-a/ws?token=" + tokenA + "&after=0"))) {
            visitor.await("ready", f -> f.path("type").asText().equals("ready"));
            visitor.send(ChatFixture.message("m1", "is my order ready?"));
            visitor.await("stored", f -> f.path("type").asText().equals("message")
                    && f.path("clientId").asText().equals("m1"));
        }
        assertThat(sinkA.events()).hasSize(1);
        InboundEvent event = sinkA.events().get(0);
        assertThat(event.account().tenant()).isEqualTo(TenantId.of("shop-a"));
        assertThat(event.account().channel()).isEqualTo(ChannelId.of("webchat-a"));
        assertThat(sinkB.events()).isEmpty();
    }

    @Test
    void originsAndIdentitySignaturesArePerSite() throws Exception {
        HttpResponse<String> foreignPage = call("POST", "/webchat/shop-a/session", "https://shop-b.example", "{}");
        assertThat(foreignPage.statusCode()).isEqualTo(403);
        assertThat(ChatFixture.json(foreignPage.body()).path("code").asText()).isEqualTo("origin_not_allowed");

        String signedByA = WebchatIdentity.sign(IDENTITY_A, IdentityClaims.of("42", Instant.now()));
        String body = "{\"user\":{\"id\":\"42\",\"token\":\"" + signedByA + "\"}}";
        assertThat(session("a", body).path("identity").asText()).isEqualTo("verified");
        assertThat(session("b", body).path("identity").asText()).as("shop A's signature means nothing to shop B")
                .isEqualTo("rejected");
    }
}
