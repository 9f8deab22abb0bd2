package dev.switchboard.channel.webchat;

import static dev.switchboard.channel.webchat.WebchatJson.JSON;
import static dev.switchboard.channel.webchat.WebchatJson.error;
import static dev.switchboard.channel.webchat.WebchatJson.event;
import static dev.switchboard.channel.webchat.WebchatJson.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.CallbackRequest;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a visitor sends, over a stream or {@code POST <base>/messages}: messages and button presses (checked, limited
 * per session and per address, delivered to the inbox and only then shown as stored; a retry of the same client id
 * is acknowledged as a duplicate), typing, read receipts, transcript requests and pings.
 */
final class VisitorFrames {
    private static final Logger log = LoggerFactory.getLogger(VisitorFrames.class);

    private final WebchatChannel channel;
    private final VisitorSessions sessions;
    private final WebchatFiles files;
    private final WebchatInboundMapper mapper;
    private final WebchatLimits limits;
    private final AddressLimits addressLimits;
    private final AddressRateLimiter messagesPerAddress;
    private final Transcripts transcripts;
    private volatile InboundSink sink;

    VisitorFrames(WebchatChannel channel, WebchatConfig config, VisitorSessions sessions, WebchatFiles files,
                  Transcripts transcripts, java.time.Clock clock) {
        this.channel = channel;
        this.sessions = sessions;
        this.files = files;
        this.mapper = new WebchatInboundMapper(config.tenant(), config.channelId(),
                sessions.identification().normalizer());
        this.limits = config.limits();
        this.addressLimits = config.addressLimits();
        this.messagesPerAddress = new AddressRateLimiter(60_000L, clock::millis);
        this.transcripts = transcripts;
    }

    /** Where visitor messages are delivered while the channel runs; null while stopped. */
    void sinkTo(InboundSink sink) {
        this.sink = sink;
    }

    CompletionStage<FrameOutcome> onFrame(LiveSession s, JsonNode frame, String address) {
        String type = frame.path("type").asText("");
        switch (type) {
            case "message":
                return visitorMessage(s, frame, false, address);
            case "postback":
                return visitorMessage(s, frame, true, address);
            case "typing":
                channel.listener().typing(s.id, frame.path("on").asBoolean(true));
                return CompletableFuture.completedFuture(FrameOutcome.OK);
            case "read":
                return visitorRead(s, frame);
            case "transcript":
                return transcripts.request(s, frame);
            case "callback":
                return callback(s, frame, address);
            case "ping":
                sessions.transientFrame(s, "{\"type\":\"pong\"}");
                return CompletableFuture.completedFuture(FrameOutcome.OK);
            default:
                return CompletableFuture.completedFuture(new FrameOutcome(400,
                        error("bad_request", "unknown frame type '" + WebchatJson.clip(type) + "'")));
        }
    }

    /**
     * A call-back request from the widget's form: the phone checked with libphonenumber and normalised, the preferred
     * time short plain text; then stored like a visitor message whose text says what was asked and whose attributes
     * carry the request (the inbox tags its conversation {@code call-back}).
     */
    private CompletionStage<FrameOutcome> callback(LiveSession s, JsonNode frame, String address) {
        String clientId = frame.path("clientId").asText("");
        if (!WebchatJson.CLIENT_ID.matcher(clientId).matches()) {
            return CompletableFuture.completedFuture(new FrameOutcome(400, error("bad_request",
                    "clientId must be 1-64 characters of [A-Za-z0-9_.:-]")));
        }
        String raw = frame.path("phone").asText("").strip();
        Optional<ContactPoint> phone = raw.length() > 40 ? Optional.empty()
                : sessions.identification().normalizer().phone(raw);
        if (phone.isEmpty()) {
            return CompletableFuture.completedFuture(new FrameOutcome(400, sessions.publishError(s, clientId,
                    error("invalid_phone", "the phone number does not look valid"))));
        }
        CallbackRequest request;
        try {
            request = new CallbackRequest(phone.get(), Optional.of(frame.path("preferredTime").asText("")));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new FrameOutcome(400, sessions.publishError(s, clientId,
                    error("bad_request", e.getMessage()))));
        }
        ObjectNode message = JSON.createObjectNode().put("type", "message").put("clientId", clientId)
                .put("text", request.describe());
        return visitorMessage(s, message, false, address, Optional.of(request));
    }

    private CompletionStage<FrameOutcome> visitorMessage(LiveSession s, JsonNode frame, boolean postback, String address) {
        return visitorMessage(s, frame, postback, address, Optional.empty());
    }

    private CompletionStage<FrameOutcome> visitorMessage(LiveSession s, JsonNode frame, boolean postback,
                                                         String address, Optional<CallbackRequest> callback) {
        String clientId = frame.path("clientId").asText("");
        if (!WebchatJson.CLIENT_ID.matcher(clientId).matches()) {
            return CompletableFuture.completedFuture(new FrameOutcome(400, error("bad_request",
                    "clientId must be 1-64 characters of [A-Za-z0-9_.:-]")));
        }
        String text = postback ? frame.path("label").asText("") : frame.path("text").asText("");
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxMessageBytes()) {
            ObjectNode err = error("message_too_large", "the message has " + bytes + " bytes; at most "
                    + limits.maxMessageBytes() + " are allowed").put("limit", limits.maxMessageBytes());
            return CompletableFuture.completedFuture(new FrameOutcome(413, sessions.publishError(s, clientId, err)));
        }
        String payload = frame.path("payload").asText("");
        if (postback && payload.isEmpty()) {
            return CompletableFuture.completedFuture(new FrameOutcome(400, error("bad_request", "postback needs payload")));
        }
        List<WebchatFile> attachments = new ArrayList<>();
        JsonNode attached = frame.path("attachments");
        if (attached.size() > 10) {
            return CompletableFuture.completedFuture(new FrameOutcome(400, error("bad_request",
                    "at most 10 attachments per message")));
        }
        for (JsonNode a : attached) {
            Optional<WebchatFile> f = files.ofSession(s.id, a.path("id").asText(""));
            if (f.isEmpty()) {
                return CompletableFuture.completedFuture(new FrameOutcome(400,
                        sessions.publishError(s, clientId, error("bad_request", "unknown attachment"))));
            }
            attachments.add(f.get());
        }
        if (text.isBlank() && attachments.isEmpty()) {
            return CompletableFuture.completedFuture(new FrameOutcome(400, error("bad_request", "empty message")));
        }
        Optional<String> email = optionalText(frame, "email", 254);
        if (email.isPresent() && !WebchatJson.EMAIL.matcher(email.get()).matches()) {
            return CompletableFuture.completedFuture(new FrameOutcome(400,
                    sessions.publishError(s, clientId, error("invalid_email", "the email address does not look valid"))));
        }
        String key = "c:" + clientId;
        CompletableFuture<WebchatEvent> stored;
        synchronized (s) {
            Optional<WebchatEvent> existing = sessions.log().find(s.id, key);
            if (existing.isPresent()) {
                return CompletableFuture.completedFuture(duplicateAck(s, clientId, existing.get()));
            }
            CompletableFuture<WebchatEvent> inFlight = s.inFlight.get(clientId);
            if (inFlight != null) {
                return inFlight.handle((e, err) -> err == null ? duplicateAck(s, clientId, e)
                        : new FrameOutcome(503, error("not_stored", "the message could not be stored; send it again")));
            }
            long retryMs = s.rate.tryAcquire(limits.messagesPerMinute(), System.nanoTime());
            if (retryMs == 0) {
                retryMs = messagesPerAddress.tryAcquire(address, addressLimits.messagesPerMinute());
            }
            if (retryMs > 0) {
                ObjectNode err = error("rate_limited", "too many messages; try again in " + retryMs + " ms")
                        .put("retryAfterMs", retryMs).put("limit", limits.messagesPerMinute());
                return CompletableFuture.completedFuture(new FrameOutcome(429, sessions.publishError(s, clientId, err)));
            }
            stored = new CompletableFuture<>();
            s.inFlight.put(clientId, stored);
        }
        InboundSink target = sink;
        Instant now = channel.now();
        CompletionStage<Void> delivery;
        if (target == null) {
            delivery = CompletableFuture.failedFuture(new IllegalStateException("channel not started"));
        } else {
            try {
                delivery = target.deliver(withCallback(mapper.message(s.session, clientId, text, payload, postback,
                        attachments, email, now), callback));
            } catch (RuntimeException e) {
                delivery = CompletableFuture.failedFuture(e);
            }
        }
        delivery.whenComplete((v, err) -> {
            if (err != null) {
                log.warn("webchat: message {} of session {} was not stored", clientId, s.id, err);
                synchronized (s) {
                    s.inFlight.remove(clientId);
                    sessions.publishError(s, clientId, error("not_stored", "the message could not be stored; it will be "
                            + "sent again").put("retryable", true));
                }
                stored.completeExceptionally(err);
                return;
            }
            channel.healthTracker().received();
            WebchatEvent event;
            synchronized (s) {
                event = sessions.publish(s, "message", Optional.of(key), seq -> {
                    ObjectNode n = event("message", seq);
                    n.put("from", "visitor");
                    n.put("id", visitorMessageId(s, clientId));
                    n.put("clientId", clientId);
                    n.put("text", text);
                    if (postback) {
                        n.put("postback", true);
                    }
                    email.ifPresent(e -> n.put("offline", true).put("email", e));
                    if (!attachments.isEmpty()) {
                        ArrayNode arr = n.putArray("attachments");
                        attachments.forEach(f -> arr.add(files.describe(f)));
                    }
                    n.put("at", now.toString());
                    return n.toString();
                });
                s.inFlight.remove(clientId);
            }
            stored.complete(event);
        });
        return stored.handle((e, err) -> {
            if (err != null) {
                return new FrameOutcome(503, error("not_stored", "the message could not be stored; send it again")
                        .put("clientId", clientId).put("retryable", true));
            }
            ObjectNode ok = JSON.createObjectNode();
            ok.put("ok", true).put("seq", e.seq()).put("id", visitorMessageId(s, clientId)).put("clientId", clientId);
            return new FrameOutcome(200, ok);
        });
    }

    /** The message with the call-back request's attributes and its phone as unverified evidence. */
    private static InboundEvent withCallback(InboundEvent event, Optional<CallbackRequest> callback) {
        if (callback.isEmpty() || !(event instanceof InboundEvent.MessageReceived m)) {
            return event;
        }
        Map<String, String> attributes = new LinkedHashMap<>(m.attributes());
        attributes.putAll(callback.get().toAttributes());
        List<Evidence> evidence = new ArrayList<>(m.evidence());
        evidence.add(Evidence.unverified(callback.get().phone(), "webchat.callback_form", m.occurredAt()));
        return new InboundEvent.MessageReceived(m.eventId(), m.account(), m.occurredAt(), m.platformMessageId(),
                m.content(), m.thread(), evidence, m.automated(), attributes);
    }

    private FrameOutcome duplicateAck(LiveSession s, String clientId, WebchatEvent original) {
        sessions.publish(s, "ack", Optional.empty(), seq -> event("ack", seq).put("clientId", clientId)
                .put("messageSeq", original.seq()).put("duplicate", true).toString());
        ObjectNode ok = JSON.createObjectNode();
        ok.put("ok", true).put("seq", original.seq()).put("id", visitorMessageId(s, clientId))
                .put("clientId", clientId).put("duplicate", true);
        return new FrameOutcome(200, ok);
    }

    private CompletionStage<FrameOutcome> visitorRead(LiveSession s, JsonNode frame) {
        String id = frame.path("id").asText("");
        if (!id.startsWith(s.id + ":") || id.length() > 200) {
            return CompletableFuture.completedFuture(new FrameOutcome(400, error("bad_request", "unknown message id")));
        }
        synchronized (s) {
            if (id.equals(s.lastReadByVisitor)) {
                return CompletableFuture.completedFuture(FrameOutcome.OK);
            }
            s.lastReadByVisitor = id;
        }
        InboundSink target = sink;
        if (target == null) {
            return CompletableFuture.completedFuture(FrameOutcome.OK);
        }
        Instant now = channel.now();
        return target.deliver(mapper.read(s.session, id, now))
                .handle((v, err) -> err == null ? FrameOutcome.OK
                        : new FrameOutcome(503, error("not_stored", "the read receipt could not be stored")));
    }

    private static String visitorMessageId(LiveSession s, String clientId) {
        return WebchatInboundMapper.visitorMessageId(s.id, clientId);
    }
}
