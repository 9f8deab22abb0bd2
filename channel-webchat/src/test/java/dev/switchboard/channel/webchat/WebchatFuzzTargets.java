package dev.switchboard.channel.webchat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.testkit.RecordingInboundSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the fuzz tests drive: one started website chat with a session and an open stream, fed outside input through
 * the same entry points the HTTP adapter uses. The invariants: nothing throws, no request answers 500 (an internal
 * error is a bug), every answer and every frame sent to the visitor is a JSON object.
 */
final class WebchatFuzzTargets {
    static final byte[] IDENTITY_SECRET = "fuzz-identity-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final WebchatChannel CHANNEL = WebchatChannel.builder()
            .tokenSecret("fuzz-token-secret-0123456789abcdef0123".getBytes(StandardCharsets.UTF_8))
            .identitySecret(IDENTITY_SECRET).agentsOnline(true)
            .limits(WebchatLimits.DEFAULT.withMessagesPerMinute(1_000_000))
            .addressLimits(new AddressLimits(Integer.MAX_VALUE, Integer.MAX_VALUE)).build();
    private static final RecordingConnection CONNECTION = new RecordingConnection();
    private static final VisitorStream STREAM;
    private static final String TOKEN;

    static {
        CHANNEL.start(new RecordingInboundSink()).toCompletableFuture().join();
        WebhookResponse s = CHANNEL.endpoint().handle(new WebhookRequest("POST", "/webchat/session", Map.of(),
                Map.of(), "{}".getBytes(StandardCharsets.UTF_8), Optional.of("10.0.0.1"))).toCompletableFuture()
                .join();
        TOKEN = json(s.body()).path("token").asText();
        STREAM = CHANNEL.endpoint().open(TOKEN, OptionalLong.of(0), "10.0.0.1", CONNECTION);
    }

    private WebchatFuzzTargets() {
    }

    /** A frame the visitor's widget sends over the stream (the connection fails on any frame that is not JSON). */
    static void frame(String text) {
        STREAM.onFrame(text);
        if (CONNECTION.frames.size() > 10_000) {
            CONNECTION.frames.clear();
            CONNECTION.seqs.clear();
        }
        if (CONNECTION.closed) {
            throw new IllegalStateException("a frame closed the visitor's stream: " + text);
        }
    }

    /** A {@code POST /webchat/session} body (anonymous, signed identities, pre-chat fields). */
    static void sessionRequest(byte[] body) {
        check(new WebhookRequest("POST", "/webchat/session", Map.of(), Map.of("Content-Type",
                List.of("application/json")), body, Optional.of("10.0.0.2")));
    }

    /** Any plain HTTP request under /webchat with the session's token: method, path, name, content type, body. */
    static void httpRequest(String method, String path, String name, String contentType, byte[] body) {
        check(new WebhookRequest(method, "/webchat/" + path, Map.of("token", List.of(TOKEN), "name", List.of(name)),
                Map.of("Content-Type", List.of(contentType)), body, Optional.of("10.0.0.3")));
    }

    /** A host identity token as the session request carries it. */
    static void identityToken(String token) {
        new WebchatIdentity(IDENTITY_SECRET, java.time.Duration.ofMinutes(30)).verify(token, Instant.now());
    }

    private static void check(WebhookRequest request) {
        WebhookResponse r = CHANNEL.endpoint().handle(request).toCompletableFuture().join();
        if (r.status() >= 500 && r.status() != 503 && r.status() != 507 && r.status() != 501) {
            throw new IllegalStateException("answered " + r.status() + " to " + request + ": " + r.bodyAsUtf8());
        }
        String type = r.headers().getOrDefault("Content-Type", List.of("")).get(0);
        if (type.startsWith("application/json")) {
            requireJsonObject(r.body(), "the answer to " + request);
        }
    }

    private static void requireJsonObject(byte[] bytes, String what) {
        if (!json(bytes).isObject()) {
            throw new IllegalStateException(what + " is not a JSON object");
        }
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return RecordingConnection.JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }
}
