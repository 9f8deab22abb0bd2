package dev.switchboard.channel.webchat;

import static dev.switchboard.channel.webchat.WebchatJson.JSON;
import static dev.switchboard.channel.webchat.WebchatJson.error;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.WebhookRequest;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stream side of the chat protocol: opening a visitor's WebSocket or Server-Sent Events stream (token check, the
 * per-address connection limit, the {@code ready} frame, the replay after the widget's last sequence number or a
 * {@code gap} frame when it left the replay window) and closing streams. Live events reach the streams through
 * {@link VisitorSessions#publish}.
 */
final class VisitorStreams {
    /**
     * The largest stream frame a transport should accept (the WebSocket limit is declared with it). Frames up to this
     * size are parsed, so an oversize message gets a {@code message_too_large} error naming its {@code clientId}
     * instead of a closed socket.
     */
    static final int MAX_FRAME_BYTES = 1024 * 1024;

    private final WebchatChannel channel;
    private final VisitorSessions sessions;
    private final Presence presence;
    private final WebchatLimits limits;
    private final VisitorFrames frames;
    private final Map<String, AtomicInteger> connectionsPerIp = new ConcurrentHashMap<>();

    VisitorStreams(WebchatChannel channel, VisitorSessions sessions, Presence presence, WebchatLimits limits,
                   VisitorFrames frames) {
        this.channel = channel;
        this.sessions = sessions;
        this.presence = presence;
        this.limits = limits;
        this.frames = frames;
    }

    /**
     * Opens a visitor stream from its opening request: the visitor token in {@code token}, the last sequence number
     * the widget has in {@code after} or, for a reconnecting EventSource, in {@code Last-Event-ID}.
     */
    StreamListener openStream(StreamSession session) {
        WebhookRequest r = session.request();
        OptionalLong after = parseSeq(r.queryParam("after"));
        if (session.transport() == StreamTransport.SERVER_SENT_EVENTS) {
            OptionalLong fromHeader = parseSeq(r.header("Last-Event-ID").map(String::trim));
            if (fromHeader.isPresent()) {
                after = fromHeader;
            }
        }
        return open(r.queryParam("token").orElse(""), after, r.remoteAddress().orElse("unknown"), session);
    }

    private static OptionalLong parseSeq(Optional<String> s) {
        if (s.isEmpty() || s.get().isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long v = Long.parseLong(s.get());
            return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Attaches a visitor's stream. Sends {@code ready} (the session's last sequence number and presence), then the
     * events after {@code after} (or a {@code gap} frame when they left the replay window), then live events. A bad
     * token or too many connections from {@code remoteAddress} gets an {@code error} frame and a close.
     *
     * @param after the last sequence number the client has; empty for "live events only"
     */
    VisitorStream open(String token, OptionalLong after, String remoteAddress, StreamSession connection) {
        Optional<LiveSession> session = sessions.verify(token);
        if (session.isEmpty()) {
            connection.send(0, error("invalid_token", "the visitor token is missing or not valid").toString());
            connection.close(1008, "invalid token");
            return VisitorStream.CLOSED;
        }
        // Count inside compute() so a concurrent close that removes the entry can never orphan our increment.
        int[] count = new int[1];
        connectionsPerIp.compute(remoteAddress, (k, v) -> {
            AtomicInteger c = v == null ? new AtomicInteger() : v;
            count[0] = c.incrementAndGet();
            return c;
        });
        if (count[0] > limits.connectionsPerIp()) {
            releaseConnectionSlot(remoteAddress);
            connection.send(0, error("too_many_connections", "at most " + limits.connectionsPerIp()
                    + " chat connections per address").put("limit", limits.connectionsPerIp()).toString());
            connection.close(1008, "too many connections");
            return VisitorStream.CLOSED;
        }
        LiveSession s = session.get();
        synchronized (s) {
            long last = sessions.log().lastSeq(s.id);
            // streams already open here first get what other nodes appended, so every stream continues from `last`
            sessions.catchUpLocked(s, last);
            ObjectNode ready = JSON.createObjectNode();
            ready.put("type", "ready");
            ready.put("sessionId", s.id);
            ready.put("lastSeq", last);
            ready.put("online", presence.online());
            ready.put("verified", s.session.verified());
            ready.putObject("limits").put("maxMessageBytes", limits.maxMessageBytes())
                    .put("maxUploadBytes", limits.maxUploadBytes())
                    .put("messagesPerMinute", limits.messagesPerMinute());
            connection.send(0, ready.toString());
            if (after.isPresent()) {
                WebchatLog.Replay replay = sessions.log().after(s.id, after.getAsLong());
                if (replay.gap()) {
                    connection.send(0, "{\"type\":\"gap\",\"lastSeq\":" + last + "}");
                } else {
                    for (WebchatEvent e : replay.events()) {
                        connection.send(e.seq(), e.json());
                    }
                }
            }
            s.connections.add(connection);
            if (s.appendWatch == null) {
                // woken at once when another node appends (PostgreSQL NOTIFY, a shared in-memory state); the
                // poller stays as the safety net for stores that cannot tell and for missed notifications
                s.appendWatch = BindableWebchatLog.watch(sessions.log(), s.id,
                        () -> RemoteEventsPoller.wake(() -> sessions.catchUp(s))).orElse(null);
                if (s.appendWatch != null) {
                    // an append another node committed after our replay but before the watch existed was announced
                    // to nobody: look once now
                    RemoteEventsPoller.wake(() -> sessions.catchUp(s));
                }
            }
        }
        channel.listener().connected(s.id);
        return new VisitorStream(this, frames, s, connection, remoteAddress);
    }

    /** A stream of {@code s} ended: forget it and give back its connection slot. */
    void released(LiveSession s, StreamSession connection, String remoteAddress) {
        synchronized (s) {
            s.connections.remove(connection);
            if (s.connections.isEmpty() && s.appendWatch != null) {
                s.appendWatch.close();
                s.appendWatch = null;
            }
        }
        releaseConnectionSlot(remoteAddress);
        channel.listener().disconnected(s.id);
    }

    private void releaseConnectionSlot(String remoteAddress) {
        connectionsPerIp.computeIfPresent(remoteAddress, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    int connectedStreams() {
        int n = 0;
        for (LiveSession s : sessions.all()) {
            n += s.connections.size();
        }
        return n;
    }

    /** Closes every stream of {@code sessionId} (tests and hosts simulating a network drop, or ending a session). */
    void disconnect(String sessionId) {
        sessions.live(sessionId).ifPresent(s -> {
            for (StreamSession c : s.connections) {
                c.close(1001, "disconnected by the server");
            }
        });
    }

    /** Closes every stream (the channel is stopping); widgets reconnect and resume when it runs again. */
    void closeAll() {
        for (LiveSession s : sessions.all()) {
            synchronized (s) {
                if (s.appendWatch != null) {
                    s.appendWatch.close();
                    s.appendWatch = null;
                }
            }
            for (StreamSession c : s.connections) {
                c.close(1001, "server stopping");
            }
        }
    }
}
