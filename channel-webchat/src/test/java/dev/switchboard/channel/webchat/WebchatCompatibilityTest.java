package dev.switchboard.channel.webchat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.testkit.ChannelCompatibilityKit;
import dev.switchboard.testkit.KitFeature;
import dev.switchboard.testkit.PlatformFake;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The compatibility kit against the website chat. The "platform" is a visitor's browser: the fake creates a real
 * session through {@code POST /webchat/session}, talks over a stream attached to the transport-neutral endpoint exactly
 * as the Jetty WebSocket adapter does, and records the agent messages the visitor received. Scripted send failures go
 * through the channel's {@link SendPolicy} hook (webchat has no remote platform to fail).
 *
 * <p>{@link KitFeature#REDELIVERY} is unsupported on purpose: a visitor's retry of the same client message id is
 * recognised by the channel itself against its log and acknowledged without reaching the sink again (the protocol
 * tests prove it is stored once), so there is no platform redelivery for the inbox to dedupe.
 */
class WebchatCompatibilityTest extends ChannelCompatibilityKit {
    private static final String TOKEN_SECRET = "kit-token-secret-0123456789abcdef-XYZ";
    private static final String IDENTITY_SECRET = "kit-identity-secret-42-abcdef";

    @Override
    protected PlatformFake createFake() {
        return new VisitorFake();
    }

    @Override
    protected Channel createChannel(PlatformFake fake) {
        VisitorFake v = (VisitorFake) fake;
        WebchatChannel channel = WebchatChannel.builder().id(dev.switchboard.model.ChannelId.of("webchat-kit"))
                .tokenSecret(TOKEN_SECRET.getBytes(StandardCharsets.UTF_8))
                .identitySecret(IDENTITY_SECRET.getBytes(StandardCharsets.UTF_8))
                .sendPolicy(m -> Optional.ofNullable(v.nextFailure.getAndSet(null)))
                .agentsOnline(true)
                .build();
        v.connect(channel);
        return channel;
    }

    @Override
    protected Set<KitFeature> unsupported() {
        return Set.of(KitFeature.REDELIVERY);
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(TOKEN_SECRET, IDENTITY_SECRET);
    }

    /** The fake behaves like the widget: a {@code not_stored} error makes it send the same message again. */
    @Override
    protected boolean platformRetriesUnacknowledgedEvents() {
        return true;
    }

    @Override
    protected String customerId() {
        return ((VisitorFake) fake()).sessionId;
    }

    /** A visitor's browser: one session, one attached stream, a record of the agent messages shown. */
    static final class VisitorFake implements PlatformFake {
        final AtomicReference<SendFailure> nextFailure = new AtomicReference<>();
        final AtomicInteger clientIds = new AtomicInteger();
        final Map<String, String> framesByEvent = new java.util.concurrent.ConcurrentHashMap<>();
        RecordingConnection connection;
        volatile VisitorStream stream;
        String sessionId;

        void connect(WebchatChannel channel) {
            String body = "{\"name\":\"Kit Customer\",\"lang\":\"en\"}";
            WebhookResponse r = channel.endpoint().handle(new WebhookRequest("POST", "/webchat/session", Map.of(),
                    Map.of(), body.getBytes(StandardCharsets.UTF_8), Optional.empty())).toCompletableFuture().join();
            JsonNode session = parse(r.bodyAsUtf8());
            sessionId = session.path("sessionId").asText();
            connection = new RecordingConnection() {
                @Override
                public void send(long seq, String json) {
                    super.send(seq, json);
                    JsonNode last = frames.get(frames.size() - 1);
                    String frame = framesByEvent.get("webchat:" + sessionId + ":" + last.path("clientId").asText());
                    if (last.path("code").asText().equals("not_stored") && frame != null) {
                        // Like the widget's outbox: resend later, never from inside the server's callback.
                        java.util.concurrent.CompletableFuture.runAsync(() -> stream.onFrame(frame));
                    }
                }
            };
            stream = channel.endpoint().open(session.path("token").asText(), OptionalLong.of(0), "127.0.0.1",
                    connection);
        }

        @Override
        public void bind(Channel channel) {
        }

        @Override
        public String deliverText(String platformUserId, String displayName, String text) {
            String clientId = "kit-" + clientIds.incrementAndGet();
            String frame = RecordingConnection.JSON.createObjectNode().put("type", "message")
                    .put("clientId", clientId).put("text", text).toString();
            String eventId = "webchat:" + sessionId + ":" + clientId;
            framesByEvent.put(eventId, frame);
            stream.onFrame(frame);
            return eventId;
        }

        @Override
        public void redeliver(String eventId) {
            stream.onFrame(framesByEvent.get(eventId));
        }

        @Override
        public String knownRecipient() {
            return sessionId;
        }

        @Override
        public void failNextSendWithRateLimit(Duration retryAfter) {
            nextFailure.set(SendFailure.rateLimited(retryAfter, "host_throttle", "host policy throttled the send"));
        }

        @Override
        public void failNextSendWithServerError() {
            nextFailure.set(SendFailure.of(FailureKind.UNAVAILABLE, "maintenance", "chat under maintenance"));
        }

        @Override
        public void failNextSendWithPermanentError() {
            nextFailure.set(SendFailure.of(FailureKind.NOT_ALLOWED, "banned", "the visitor was banned"));
        }

        @Override
        public List<SentMessage> sent() {
            List<SentMessage> out = new ArrayList<>();
            for (JsonNode m : connection.messagesFrom("agent")) {
                List<String> labels = new ArrayList<>();
                m.path("buttons").forEach(b -> labels.add(b.path("label").asText()));
                out.add(new SentMessage(sessionId, m.path("text").asText(), labels, m.path("id").asText()));
            }
            return out;
        }

        @Override
        public void close() {
            if (stream != null) {
                stream.onClose();
            }
        }

        private static JsonNode parse(String json) {
            try {
                return RecordingConnection.JSON.readTree(json);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
