package dev.switchboard.channel.webchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.LogEntry;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/**
 * A {@link WebchatLog} kept in the channel's {@link ChannelState}: sessions, the verified-user index and each
 * session's sequenced events survive restarts and are shared by every node bound to the same state, so a visitor
 * resumes from its last sequence number on any node. Each session's events are one state log
 * ({@code webchat.events:<session>}), numbered by the state itself, so two nodes appending to one session (a visitor
 * message here, an agent reply there) never share a number. The whole history is kept (no replay gap below the
 * {@code replayLimit} most recent events). Thread-safe.
 *
 * <p>Limit: the dedupe key of an event is recorded right after the event, not atomically with it; a crash in between
 * lets one retried client message or outbound send be stored twice.
 */
public final class StateWebchatLog implements WebchatLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 30;
    private static final int PAGE = 500;

    private final ChannelState state;
    private final int replayLimit;

    /** A log in {@code state} that replays up to the 500 most recent events on resume. */
    public StateWebchatLog(ChannelState state) {
        this(state, 500);
    }

    /** A log in {@code state} that replays up to {@code replayLimit} events on resume (older: a history refetch). */
    public StateWebchatLog(ChannelState state, int replayLimit) {
        this.state = Objects.requireNonNull(state, "state");
        if (replayLimit < 1) {
            throw new IllegalArgumentException("replayLimit must be >= 1, got " + replayLimit);
        }
        this.replayLimit = replayLimit;
    }

    @Override
    public void createSession(VisitorSession session) {
        join(state.put(sessionKey(session.id()), writeSession(session)));
        session.verifiedUserId().ifPresent(u -> join(state.putIfAbsent(userKey(u), session.id(), Optional.empty())));
    }

    @Override
    public Optional<VisitorSession> session(String sessionId) {
        return join(state.get(sessionKey(sessionId))).map(r -> readSession(r.value()));
    }

    @Override
    public Optional<String> sessionOfUser(String verifiedUserId) {
        return join(state.get(userKey(verifiedUserId))).map(StateRecord::value);
    }

    @Override
    public WebchatEvent append(String sessionId, String type, Optional<String> key, LongFunction<String> render) {
        LogEntry entry = join(state.append(eventsKey(sessionId), seq -> writeEvent(type, key, render.apply(seq))));
        WebchatEvent event = readEvent(sessionId, entry);
        key.ifPresent(k -> join(state.putIfAbsent(dedupeKey(sessionId, k), Long.toString(entry.seq()),
                Optional.empty())));
        return event;
    }

    @Override
    public Optional<WebchatEvent> find(String sessionId, String key) {
        Optional<StateRecord> seq = join(state.get(dedupeKey(sessionId, key)));
        if (seq.isEmpty()) {
            return Optional.empty();
        }
        long at = Long.parseLong(seq.get().value());
        return join(state.read(eventsKey(sessionId), at - 1, 1)).stream().findFirst()
                .map(e -> readEvent(sessionId, e));
    }

    @Override
    public long lastSeq(String sessionId) {
        return join(state.lastSeq(eventsKey(sessionId)));
    }

    @Override
    public Replay after(String sessionId, long seq) {
        long last = lastSeq(sessionId);
        if (seq >= last) {
            return new Replay(List.of(), seq > last);
        }
        if (last - seq > replayLimit) {
            return new Replay(List.of(), true);
        }
        List<WebchatEvent> out = new ArrayList<>();
        for (LogEntry e : join(state.read(eventsKey(sessionId), Math.max(seq, 0), replayLimit))) {
            out.add(readEvent(sessionId, e));
        }
        return new Replay(out, false);
    }

    @Override
    public List<WebchatEvent> history(String sessionId) {
        List<WebchatEvent> out = new ArrayList<>();
        long after = 0;
        while (true) {
            List<LogEntry> page = join(state.read(eventsKey(sessionId), after, PAGE));
            for (LogEntry e : page) {
                WebchatEvent event = readEvent(sessionId, e);
                if (event.isHistory()) {
                    out.add(event);
                }
                after = e.seq();
            }
            if (page.size() < PAGE) {
                return out;
            }
        }
    }

    /**
     * Asks the state to call {@code onAppend} soon after any node appends to the session's events (see
     * {@link ChannelState#watch}); empty when the state cannot tell, and readers poll.
     */
    public Optional<ChannelState.Watch> watch(String sessionId, Runnable onAppend) {
        return state.watch(eventsKey(sessionId), onAppend);
    }

    /** Whether the state can tell of appends ({@link ChannelState#watch} is supported). */
    boolean notifiesAppends() {
        Optional<ChannelState.Watch> probe = state.watch("webchat.probe", () -> { });
        probe.ifPresent(ChannelState.Watch::close);
        return probe.isPresent();
    }

    @Override
    public String toString() {
        return "StateWebchatLog[" + state + "]";
    }

    // ---- keys: at most ChannelState.MAX_KEY_LENGTH characters, so long ids are hashed ---------------------------

    private static String sessionKey(String sessionId) {
        return "webchat.session:" + bounded(sessionId);
    }

    private static String userKey(String userId) {
        return "webchat.user:" + bounded(userId);
    }

    private static String eventsKey(String sessionId) {
        return "webchat.events:" + bounded(sessionId);
    }

    private static String dedupeKey(String sessionId, String key) {
        return "webchat.key:" + hash(sessionId + "\u0000" + key);
    }

    private static String bounded(String id) {
        return id.length() <= 120 ? id : "#" + hash(id);
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    // ---- records -----------------------------------------------------------------------------------------------

    private static String writeEvent(String type, Optional<String> key, String frame) {
        ObjectNode n = JSON.createObjectNode().put("type", type).put("frame", frame);
        key.ifPresent(k -> n.put("key", k));
        return n.toString();
    }

    private static WebchatEvent readEvent(String sessionId, LogEntry e) {
        JsonNode n = parse(e.value());
        return new WebchatEvent(sessionId, e.seq(), n.path("type").asText(),
                n.hasNonNull("key") ? Optional.of(n.get("key").asText()) : Optional.empty(),
                n.path("frame").asText());
    }

    private static String writeSession(VisitorSession s) {
        ObjectNode n = JSON.createObjectNode().put("id", s.id()).put("createdAt", s.createdAt().toString());
        s.origin().ifPresent(v -> n.put("origin", v));
        s.verifiedUserId().ifPresent(v -> n.put("verifiedUserId", v));
        s.displayName().ifPresent(v -> n.put("displayName", v));
        s.language().ifPresent(v -> n.put("language", v));
        ArrayNode evidence = n.putArray("evidence");
        for (Evidence e : s.evidence()) {
            evidence.addObject().put("kind", e.point().kind().name()).put("value", e.point().value())
                    .put("verified", e.verified()).put("source", e.source())
                    .put("observedAt", e.observedAt().toString());
        }
        return n.toString();
    }

    private static VisitorSession readSession(String value) {
        JsonNode n = parse(value);
        List<Evidence> evidence = new ArrayList<>();
        for (JsonNode e : n.path("evidence")) {
            evidence.add(new Evidence(new ContactPoint(ContactPoint.Kind.valueOf(e.path("kind").asText()),
                    e.path("value").asText()), e.path("verified").asBoolean(), e.path("source").asText(),
                    Instant.parse(e.path("observedAt").asText())));
        }
        return new VisitorSession(n.path("id").asText(), Instant.parse(n.path("createdAt").asText()),
                text(n, "origin"), text(n, "verifiedUserId"), text(n, "displayName"), text(n, "language"), evidence);
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable webchat state record", e);
        }
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while using the channel state", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the channel state failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the channel state did not answer in " + TIMEOUT_SECONDS + " s", e);
        }
    }
}
