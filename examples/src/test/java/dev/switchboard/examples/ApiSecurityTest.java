package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Text;
import dev.switchboard.examples.api.AgentAuth;
import dev.switchboard.examples.api.ContactCenterApi;
import dev.switchboard.examples.api.Router;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.channel.webchat.WebchatChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API is not open to whoever reaches the port: every route but login refuses anonymous calls, sessions are
 * HttpOnly/SameSite=Strict cookies or bearer tokens, actions are recorded for the logged-in agent, cross-site
 * requests (foreign Origin, text/plain bodies) are refused, OPTIONS is answered, and media is served so that it can
 * never run as a page.
 */
class ApiSecurityTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ChannelId WEBCHAT = ChannelId.of("webchat");
    private static final String SECRET = "the-admin-secret-for-tests";
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    static InMemoryInboxStore store;
    static Inbox inbox;
    static ContactCenterApi api;
    static String conversationId;
    static String mediaMessageId;

    @BeforeAll
    static void inbox() {
        store = new InMemoryInboxStore();
        IdentityEngine identity = IdentityEngine.builder().build();
        WebchatChannel webchat = WebchatChannel.builder().id(WEBCHAT)
                .tokenSecret("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)).build();
        inbox = Inbox.builder().store(store).identity(identity).channel(webchat).build();
        inbox.start();
        ChannelAccount visitor = ChannelAccount.of(TenantId.DEFAULT, WEBCHAT, "v-1", Profile.named("Visitor"));
        Content content = new Content(List.of(Text.plain("my documents"),
                new Media(MediaKind.IMAGE, "image/png", Optional.of("cat.png"), OptionalLong.of(PNG.length),
                        new MediaSource.Inline(PNG), Optional.empty()),
                new Media(MediaKind.FILE, "text/html", Optional.of("invoice.html"), OptionalLong.empty(),
                        new MediaSource.Inline("<script>alert(document.cookie)</script>"
                                .getBytes(StandardCharsets.UTF_8)), Optional.empty())));
        inbox.sink(TenantId.DEFAULT, WEBCHAT).deliver(new InboundEvent.MessageReceived("e-1", visitor, Instant.now(),
                "m-1", content, dev.switchboard.channel.ThreadHints.NONE, List.of(), false))
                .toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> !inbox.conversations(
                ConversationQuery.all(TenantId.DEFAULT, 1)).items().isEmpty());
        var conversation = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 1)).items().get(0);
        conversationId = conversation.id().value();
        mediaMessageId = inbox.messages(TenantId.DEFAULT, conversation.id()).get(0).id().value();
        api = new ContactCenterApi(inbox, store, identity, TenantId.DEFAULT, Map.of(), Map.of(), Optional.empty(),
                new AgentAuth(AgentAuth.sharedSecret(SECRET, Set.of("maria", "alex")), Duration.ofHours(1),
                        Clock.systemUTC()));
    }

    @AfterAll
    static void close() {
        inbox.close();
        store.close();
    }

    static WebhookResponse call(String method, String path, Map<String, String> headers, String body) {
        Map<String, List<String>> h = new HashMap<>();
        h.put("Host", List.of("localhost:8080"));
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        if (!body.isEmpty() && !headers.containsKey("Content-Type")) {
            h.put("Content-Type", List.of("application/json"));
        }
        int q = path.indexOf('?');
        Map<String, List<String>> query = new HashMap<>();
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], List.of(kv.length > 1 ? kv[1] : ""));
            }
        }
        return api.handle(new WebhookRequest(method, q < 0 ? path : path.substring(0, q), query, h,
                body.getBytes(StandardCharsets.UTF_8), Optional.of("127.0.0.1"))).toCompletableFuture().join();
    }

    static String bearer(String agent) throws Exception {
        WebhookResponse r = call("POST", "/api/v1/auth/login", Map.of(),
                "{\"agent\":\"" + agent + "\",\"secret\":\"" + SECRET + "\",\"mode\":\"bearer\"}");
        assertThat(r.status()).isEqualTo(200);
        return MAPPER.readTree(r.body()).path("token").asText();
    }

    static JsonNode json(WebhookResponse r) throws Exception {
        return MAPPER.readTree(r.body());
    }

    @Test
    void everyRouteRefusesAnonymousCalls() throws Exception {
        List<Router.RouteSpec> routes = api.router().routes();
        assertThat(routes).hasSizeGreaterThan(10);
        for (Router.RouteSpec route : routes) {
            String path = ContactCenterApi.PREFIX + route.template().replaceAll("\\{[^}]+}", "x");
            String body = route.method().equals("POST") ? "{}" : "";
            WebhookResponse anonymous = call(route.method(), path, Map.of(), body);
            WebhookResponse forged = call(route.method(), path, Map.of("Authorization", "Bearer forged",
                    "Cookie", AgentAuth.COOKIE + "=forged"), body);
            if (ContactCenterApi.PUBLIC_ROUTES.contains(route)) {
                assertThat(anonymous.status()).as(route.toString()).isNotEqualTo(200);
                continue;
            }
            assertThat(anonymous.status()).as("anonymous " + route).isEqualTo(401);
            assertThat(json(anonymous).path("error").path("code").asText()).isEqualTo("unauthorized");
            assertThat(anonymous.headers().get("WWW-Authenticate")).isNotEmpty();
            assertThat(forged.status()).as("forged token " + route).isEqualTo(401);
            assertThat(call(route.method(), path, Map.of("Authorization", "Bearer " + bearer("maria")), body).status())
                    .as("logged in " + route).isNotEqualTo(401);
        }
        assertThat(call("GET", "/api/v1/not-a-route", Map.of(), "").status()).isEqualTo(401);
    }

    @Test
    void theConsoleSessionIsAnHttpOnlySameSiteStrictCookieSecureExceptOnPlainLocalhost() throws Exception {
        String login = "{\"agent\":\"maria\",\"secret\":\"" + SECRET + "\"}";
        WebhookResponse local = call("POST", "/api/v1/auth/login", Map.of(), login);
        String cookie = local.headers().get("Set-Cookie").get(0);
        assertThat(cookie).startsWith(AgentAuth.COOKIE + "=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain("Secure");
        WebhookResponse remote = call("POST", "/api/v1/auth/login", Map.of("Host", "support.example.com"), login);
        assertThat(remote.headers().get("Set-Cookie").get(0)).contains("HttpOnly", "SameSite=Strict", "; Secure");
        assertThat(json(local).has("token")).as("the cookie is not readable by scripts").isFalse();

        String session = cookie.substring(0, cookie.indexOf(';'));
        WebhookResponse me = call("GET", "/api/v1/auth/me", Map.of("Cookie", "x=1; " + session), "");
        assertThat(json(me).path("agent").asText()).isEqualTo("maria");
        assertThat(call("POST", "/api/v1/auth/logout", Map.of("Cookie", session), "").status()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/auth/me", Map.of("Cookie", session), "").status()).isEqualTo(401);

        WebhookResponse wrong = call("POST", "/api/v1/auth/login", Map.of(),
                "{\"agent\":\"maria\",\"secret\":\"guess\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.headers()).doesNotContainKey("Set-Cookie");
        assertThat(call("POST", "/api/v1/auth/login", Map.of(), "{\"agent\":\"mallory\",\"secret\":\"" + SECRET
                + "\"}").status()).as("not on the roster").isEqualTo(401);
    }

    @Test
    void actionsAreRecordedForTheLoggedInAgentNeverAnotherOne() throws Exception {
        String alex = bearer("alex");
        WebhookResponse spoof = call("POST", "/api/v1/conversations/" + conversationId + "/reply",
                Map.of("Authorization", "Bearer " + alex), "{\"text\":\"hi\",\"agent\":\"maria\"}");
        assertThat(spoof.status()).isEqualTo(403);
        assertThat(json(spoof).path("error").path("code").asText()).isEqualTo("agent_mismatch");
        WebhookResponse reply = call("POST", "/api/v1/conversations/" + conversationId + "/reply",
                Map.of("Authorization", "Bearer " + alex), "{\"text\":\"hello from alex\"}");
        assertThat(reply.status()).isEqualTo(202);
        assertThat(json(reply).path("agent").asText()).isEqualTo("alex");
    }

    @Test
    void crossSiteRequestsAreRefused() throws Exception {
        String token = bearer("maria");
        String resolve = "/api/v1/conversations/" + conversationId + "/assign";
        WebhookResponse plain = call("POST", resolve, Map.of("Authorization", "Bearer " + token,
                "Content-Type", "text/plain"), "{\"agent\":\"maria\"}");
        assertThat(plain.status()).isEqualTo(415);
        assertThat(json(plain).path("error").path("code").asText()).isEqualTo("unsupported_media_type");
        WebhookResponse foreign = call("POST", resolve, Map.of("Authorization", "Bearer " + token,
                "Origin", "https://evil.example"), "{\"agent\":\"maria\"}");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(json(foreign).path("error").path("code").asText()).isEqualTo("origin_not_allowed");
        assertThat(call("POST", resolve, Map.of("Authorization", "Bearer " + token, "Sec-Fetch-Site", "cross-site"),
                "{\"agent\":\"maria\"}").status()).isEqualTo(403);
        assertThat(call("POST", resolve, Map.of("Authorization", "Bearer " + token,
                "Origin", "http://localhost:8080"), "{\"agent\":\"maria\"}").status()).isEqualTo(200);
    }

    @Test
    void optionsIsAnsweredWithTheAllowedMethods() {
        String token;
        try {
            token = bearer("maria");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        WebhookResponse r = call("OPTIONS", "/api/v1/conversations/" + conversationId + "/reply",
                Map.of("Authorization", "Bearer " + token), "");
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.headers().get("Allow")).containsExactly("OPTIONS, POST");
    }

    @Test
    void mediaIsServedSafelyImagesInlineAndEverythingElseAsAnAttachment() throws Exception {
        String token = bearer("maria");
        JsonNode detail = json(call("GET", "/api/v1/conversations/" + conversationId,
                Map.of("Authorization", "Bearer " + token), ""));
        JsonNode parts = detail.path("messages").get(0).path("parts");
        assertThat(parts.get(1).path("url").asText()).isEqualTo("/api/v1/messages/" + mediaMessageId + "/media/1");

        WebhookResponse image = call("GET", parts.get(1).path("url").asText(),
                Map.of("Authorization", "Bearer " + token), "");
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.headers().get("Content-Type")).containsExactly("image/png");
        assertThat(image.headers().get("Content-Disposition").get(0)).startsWith("inline;");
        assertThat(image.headers().get("Content-Security-Policy")).containsExactly("default-src 'none'; sandbox");
        assertThat(image.body()).isEqualTo(PNG);

        WebhookResponse page = call("GET", parts.get(2).path("url").asText(),
                Map.of("Authorization", "Bearer " + token), "");
        assertThat(page.headers().get("Content-Type")).containsExactly("application/octet-stream");
        assertThat(page.headers().get("Content-Disposition").get(0)).startsWith("attachment;")
                .contains("invoice.html");
        assertThat(page.headers().get("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(page.headers().get("Content-Security-Policy")).containsExactly("default-src 'none'; sandbox");

        assertThat(call("GET", "/api/v1/messages/" + mediaMessageId + "/media/0",
                Map.of("Authorization", "Bearer " + token), "").status()).as("a text part").isEqualTo(404);
    }

    @Test
    void unverifiedVisitorsCanBeHiddenAndTheListPagesWithNextCursor() throws Exception {
        String token = bearer("maria");
        JsonNode all = json(call("GET", "/api/v1/conversations?limit=1", Map.of("Authorization", "Bearer " + token),
                ""));
        assertThat(all.path("items")).hasSize(1);
        assertThat(all.path("items").get(0).path("unverifiedVisitor").asBoolean()).isTrue();
        JsonNode hidden = json(call("GET", "/api/v1/conversations?hideUnverifiedVisitors=true",
                Map.of("Authorization", "Bearer " + token), ""));
        assertThat(hidden.path("items")).isEmpty();
    }
}
