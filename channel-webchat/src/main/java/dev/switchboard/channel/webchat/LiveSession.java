package dev.switchboard.channel.webchat;

import dev.switchboard.channel.state.ChannelState;

import dev.switchboard.channel.StreamSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A session's live state on this node: its open streams, rate window and messages being stored. */
final class LiveSession {
    final String id;
    final VisitorSession session;
    final List<StreamSession> connections = new CopyOnWriteArrayList<>();
    final VisitorRateLimiter rate = new VisitorRateLimiter();
    final Map<String, CompletableFuture<WebchatEvent>> inFlight = new HashMap<>();
    String lastReadByVisitor = "";
    long lastReadByAgent;
    /**
     * The last sequence number this node's streams of the session have been sent (or did not need: none open).
     * Events above it were appended by another node sharing the log; {@link VisitorSessions#catchUp} sends them.
     */
    long pushedSeq;
    /** While this node holds a stream of the session: the watch waking it when any node appends (guarded by this). */
    ChannelState.Watch appendWatch;

    LiveSession(VisitorSession session) {
        this.id = session.id();
        this.session = session;
    }
}
