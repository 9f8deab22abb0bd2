package dev.switchboard.server.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.RecordingInboundSink;
import dev.switchboard.channel.webchat.IdentityClaims;
import dev.switchboard.channel.webchat.WebchatIdentity;
import dev.switchboard.channel.webchat.WebchatChannel;
import dev.switchboard.channel.webchat.WebchatLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A started webchat channel on a {@link SwitchboardServer} bound to loopback, plus HTTP helpers for tests. */
final class ChatFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] IDENTITY_SECRET = "fixture-identity-secret-abcdef".getBytes(StandardCharsets.UTF_8);
    final RecordingInboundSink sink = new RecordingInboundSink();
    final java.util.List<String> visitorTyping = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.List<dev.switchboard.channel.webchat.TranscriptSender.Transcript> transcripts =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    final WebchatChannel channel;
    final SwitchboardServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ChatFixture(WebchatLimits limits, java.util.function.Consumer<SwitchboardServer.Builder> extra) {
        channel = WebchatChannel.builder()
                .tokenSecret("fixture-token-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8))
                .identitySecret(IDENTITY_SECRET).limits(limits).agentsOnline(true)
                .transcriptSender(t -> {
                    transcripts.add(t);
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                })
                .listener(new dev.switchboard.channel.webchat.VisitorActivityListener() {
                    @Override
                    public void typing(String sessionId, boolean typing) {
                        visitorTyping.add(sessionId + ":" + typing);
                    }
                }).build();
        channel.start(sink).toCompletableFuture().join();
        SwitchboardServer.Builder b = SwitchboardServer.builder().host("127.0.0.1").port(0).channel(channel)
                .sseHeartbeat(Duration.ofSeconds(1));
        extra.accept(b);
        server = b.build().start();
    }

    ChatFixture() {
        this(WebchatLimits.DEFAULT, b -> { });
    }

    URI uri(String path) {
        return server.uri().resolve(path);
    }

    URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + server.port() + pathAndQuery);
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A new anonymous session: {sessionId, token, ...}. */
    JsonNode session() {
        return json(post("/webchat/session", "application/json", "{}".getBytes(StandardCharsets.UTF_8)).body());
    }

    JsonNode sessionAs(String userId, String identityToken) {
        String body = "{\"user\":{\"id\":\"" + userId + "\",\"token\":\"" + identityToken + "\"}}";
        return json(post("/webchat/session", "application/json", body.getBytes(StandardCharsets.UTF_8)).body());
    }

    /** A fresh host-signed identity token for {@code userId}. */
    static String validToken(String userId) {
        return WebchatIdentity.sign(IDENTITY_SECRET, IdentityClaims.of(userId, java.time.Instant.now()));
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String message(String clientId, String text) {
        return JSON.createObjectNode().put("type", "message").put("clientId", clientId).put("text", text).toString();
    }

    @Override
    public void close() {
        server.stop();
        channel.stop();
    }
}
