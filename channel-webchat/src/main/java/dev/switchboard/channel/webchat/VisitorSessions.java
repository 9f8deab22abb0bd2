package dev.switchboard.channel.webchat;

import static dev.switchboard.channel.webchat.WebchatJson.JSON;
import static dev.switchboard.channel.webchat.WebchatJson.error;
import static dev.switchboard.channel.webchat.WebchatJson.event;
import static dev.switchboard.channel.webchat.WebchatJson.optionalText;
import static dev.switchboard.channel.webchat.WebchatJson.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.model.Evidence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The visitor sessions of one chat on this node: creating them (identity, pre-chat details, the per-address limit),
 * finding them by visitor token, and publishing their events: every event that belongs to a conversation is appended
 * to the {@link WebchatLog} with the session's next sequence number and pushed, under the session's lock, to every
 * stream of that session, so streams see events in sequence order and a resume joins the live stream with nothing
 * missed or doubled. Transient frames (typing, presence, pong) carry no sequence number and are not replayed.
 */
final class VisitorSessions {
    private final WebchatChannel channel;
    private final WebchatLog store;
    private final VisitorTokens tokens;
    private final VisitorIdentification identification;
    private final AddressLimits addressLimits;
    private final AddressRateLimiter sessionsPerAddress;
    private final WebchatCors cors;
    private final Presence presence;
    private final Map<String, LiveSession> live = new ConcurrentHashMap<>();

    VisitorSessions(WebchatChannel channel, WebchatConfig config, WebchatLog store, WebchatCors cors,
                    Presence presence, java.time.Clock clock) {
        this.channel = channel;
        this.store = store;
        this.tokens = new VisitorTokens(config.tokenSecret());
        this.identification = new VisitorIdentification(config);
        this.addressLimits = config.addressLimits();
        this.sessionsPerAddress = new AddressRateLimiter(3_600_000L, clock::millis);
        this.cors = cors;
        this.presence = presence;
    }

    WebchatLog log() {
        return store;
    }

    VisitorIdentification identification() {
        return identification;
    }

    /** The live session a visitor token names, if the token is valid and the session exists. */
    Optional<LiveSession> verify(String token) {
        return tokens.verify(token).flatMap(this::live);
    }

    Collection<LiveSession> all() {
        return live.values();
    }

    int size() {
        return live.size();
    }

    WebhookResponse createSession(WebhookRequest request, Optional<String> origin) {
        JsonNode body = request.bodyLength() == 0 ? JSON.createObjectNode() : parse(request.body());
        if (body == null) {
            return cors.response(400, error("bad_request", "the body is not a JSON object"), origin);
        }
        long retryMs = sessionsPerAddress.tryAcquire(address(request), addressLimits.sessionsPerHour());
        if (retryMs > 0) {
            return cors.response(429, error("rate_limited", "too many chat sessions from this address; try again in "
                    + retryMs + " ms").put("retryAfterMs", retryMs).put("limit", addressLimits.sessionsPerHour()),
                    origin);
        }
        Instant now = channel.now();
        VisitorIdentification.Result who = identification.identify(body.path("user"), now, origin);
        List<Evidence> evidence = new ArrayList<>(who.evidence());
        identification.prechat(body, now, evidence);
        Optional<String> existing = who.userId().flatMap(store::sessionOfUser);
        String sessionId;
        if (existing.isPresent()) {
            sessionId = existing.get();
        } else {
            sessionId = "v-" + UUID.randomUUID();
            store.createSession(new VisitorSession(sessionId, now, origin, who.userId(),
                    who.name().or(() -> optionalText(body, "name", 100)), optionalText(body, "lang", 8), evidence));
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("sessionId", sessionId);
        out.put("token", tokens.issue(sessionId));
        out.put("verified", who.userId().isPresent());
        out.put("identity", who.userId().isPresent() ? "verified"
                : who.refusal().isPresent() ? "rejected" : "anonymous");
        out.put("online", presence.online());
        who.refusal().ifPresent(r -> out.set("error", error(r.code(), r.message() + "; the visitor is treated as "
                + "anonymous")));
        return cors.response(200, out, origin);
    }

    static String address(WebhookRequest request) {
        return request.remoteAddress().orElse("unknown");
    }

    Optional<LiveSession> live(String sessionId) {
        LiveSession existing = live.get(sessionId);
        if (existing != null) {
            return Optional.of(existing);
        }
        return store.session(sessionId).map(vs -> live.computeIfAbsent(sessionId, k -> new LiveSession(vs)));
    }

    Optional<LiveSession> authenticate(WebhookRequest request) {
        Optional<String> token = request.queryParam("token")
                .or(() -> request.header("Authorization").filter(h -> h.startsWith("Bearer "))
                        .map(h -> h.substring(7).trim()));
        return token.flatMap(tokens::verify).flatMap(this::live);
    }

    WebchatEvent publish(LiveSession s, String type, Optional<String> key, java.util.function.LongFunction<String> r) {
        synchronized (s) {
            WebchatEvent e = store.append(s.id, type, key, r);
            if (e.seq() > s.pushedSeq + 1) {
                catchUpLocked(s, e.seq() - 1); // another node appended in between: those go first
            }
            for (StreamSession c : s.connections) {
                c.send(e.seq(), e.json());
            }
            s.pushedSeq = Math.max(s.pushedSeq, e.seq());
            return e;
        }
    }

    /**
     * Sends this node's open streams of {@code s} the events another node appended since they were last sent
     * anything (an agent reply sent through that node, a message the visitor typed in another tab connected there).
     */
    void catchUp(LiveSession s) {
        if (s.connections.isEmpty()) {
            return;
        }
        long last = store.lastSeq(s.id);
        synchronized (s) {
            if (last > s.pushedSeq) {
                catchUpLocked(s, last);
            }
        }
    }

    /** Sends the events after {@link LiveSession#pushedSeq} up to {@code upTo} (or a gap); the caller holds s. */
    void catchUpLocked(LiveSession s, long upTo) {
        if (!s.connections.isEmpty() && upTo > s.pushedSeq) {
            WebchatLog.Replay replay = store.after(s.id, s.pushedSeq);
            if (replay.gap()) {
                for (StreamSession c : s.connections) {
                    c.send(0, "{\"type\":\"gap\",\"lastSeq\":" + upTo + "}");
                }
            } else {
                for (WebchatEvent e : replay.events()) {
                    if (e.seq() <= upTo) {
                        for (StreamSession c : s.connections) {
                            c.send(e.seq(), e.json());
                        }
                    }
                }
            }
        }
        s.pushedSeq = Math.max(s.pushedSeq, upTo);
    }

    ObjectNode publishError(LiveSession s, String clientId, ObjectNode error) {
        error.put("clientId", clientId);
        publish(s, "error", Optional.empty(), seq -> {
            ObjectNode n = JSON.createObjectNode();
            n.put("seq", seq);
            n.setAll(error);
            return n.toString();
        });
        return error;
    }

    void transientFrame(LiveSession s, String frame) {
        synchronized (s) {
            for (StreamSession c : s.connections) {
                c.send(0, frame);
            }
        }
    }
}
