package dev.switchboard.channel.webchat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * A {@link WebchatLog} in the heap: every session keeps its whole visible history (messages and read receipts) and a
 * bounded replay window of its most recent events. History is lost on restart, so use it for tests, demos and single
 * nodes that accept that; production hosts implement {@link WebchatLog} over their database.
 */
public final class InMemoryWebchatLog implements WebchatLog {
    private final int replayWindow;
    private final Map<String, VisitorSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> sessionByUser = new ConcurrentHashMap<>();
    private final Map<String, Events> events = new ConcurrentHashMap<>();

    /** A log whose replay window holds the last 500 events of each session. */
    public InMemoryWebchatLog() {
        this(500);
    }

    public InMemoryWebchatLog(int replayWindow) {
        if (replayWindow < 1) {
            throw new IllegalArgumentException("replayWindow must be >= 1, got " + replayWindow);
        }
        this.replayWindow = replayWindow;
    }

    @Override
    public void createSession(VisitorSession session) {
        sessions.put(session.id(), session);
        session.verifiedUserId().ifPresent(u -> sessionByUser.putIfAbsent(u, session.id()));
    }

    @Override
    public Optional<VisitorSession> session(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public Optional<String> sessionOfUser(String verifiedUserId) {
        return Optional.ofNullable(sessionByUser.get(verifiedUserId));
    }

    @Override
    public WebchatEvent append(String sessionId, String type, Optional<String> key, LongFunction<String> render) {
        Events e = events.computeIfAbsent(sessionId, k -> new Events());
        synchronized (e) {
            long seq = e.lastSeq + 1;
            WebchatEvent event = new WebchatEvent(sessionId, seq, type, key, render.apply(seq));
            e.lastSeq = seq;
            e.window.addLast(event);
            if (e.window.size() > replayWindow) {
                e.window.removeFirst();
            }
            if (event.isHistory()) {
                e.history.add(event);
            }
            key.ifPresent(k -> e.keys.put(k, event));
            return event;
        }
    }

    @Override
    public Optional<WebchatEvent> find(String sessionId, String key) {
        Events e = events.get(sessionId);
        if (e == null) {
            return Optional.empty();
        }
        synchronized (e) {
            return Optional.ofNullable(e.keys.get(key));
        }
    }

    @Override
    public long lastSeq(String sessionId) {
        Events e = events.get(sessionId);
        if (e == null) {
            return 0;
        }
        synchronized (e) {
            return e.lastSeq;
        }
    }

    @Override
    public Replay after(String sessionId, long seq) {
        Events e = events.get(sessionId);
        if (e == null) {
            return new Replay(List.of(), seq > 0);
        }
        synchronized (e) {
            if (seq >= e.lastSeq) {
                return new Replay(List.of(), seq > e.lastSeq);
            }
            long oldest = e.window.isEmpty() ? e.lastSeq + 1 : e.window.peekFirst().seq();
            if (seq + 1 < oldest) {
                return new Replay(List.of(), true);
            }
            List<WebchatEvent> out = new ArrayList<>();
            for (WebchatEvent ev : e.window) {
                if (ev.seq() > seq) {
                    out.add(ev);
                }
            }
            return new Replay(out, false);
        }
    }

    @Override
    public List<WebchatEvent> history(String sessionId) {
        Events e = events.get(sessionId);
        if (e == null) {
            return List.of();
        }
        synchronized (e) {
            return List.copyOf(e.history);
        }
    }

    @Override
    public String toString() {
        return "InMemoryWebchatLog[" + sessions.size() + " sessions, replayWindow=" + replayWindow + "]";
    }

    private static final class Events {
        long lastSeq;
        final ArrayDeque<WebchatEvent> window = new ArrayDeque<>();
        final List<WebchatEvent> history = new ArrayList<>();
        final Map<String, WebchatEvent> keys = new HashMap<>();
    }
}
