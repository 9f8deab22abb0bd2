package dev.switchboard.channel.webchat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The log of a channel built without a host log: in memory until the inbox binds the channel's state, then a
 * {@link StateWebchatLog} over it (the inbox binds before the channel starts, so nothing is lost by the switch).
 */
final class BindableWebchatLog implements WebchatLog {
    private volatile WebchatLog current;

    BindableWebchatLog(WebchatLog initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    void use(WebchatLog log) {
        this.current = Objects.requireNonNull(log, "log");
    }

    /** The log now in use (the in-memory one, or the state log once bound). */
    WebchatLog current() {
        return current;
    }

    /** Wakes on appends to a session's events when the log in use is a state log whose state can tell. */
    static Optional<dev.switchboard.channel.state.ChannelState.Watch> watch(WebchatLog log, String sessionId,
            Runnable onAppend) {
        WebchatLog in = log instanceof BindableWebchatLog b ? b.current() : log;
        return in instanceof StateWebchatLog s ? s.watch(sessionId, onAppend) : Optional.empty();
    }

    /** Whether appends by other nodes are announced (the log in use is a state log whose state can tell). */
    static boolean notifiesAppends(WebchatLog log) {
        WebchatLog in = log instanceof BindableWebchatLog b ? b.current() : log;
        return in instanceof StateWebchatLog s && s.notifiesAppends();
    }

    @Override
    public void createSession(VisitorSession session) {
        current.createSession(session);
    }

    @Override
    public Optional<VisitorSession> session(String sessionId) {
        return current.session(sessionId);
    }

    @Override
    public Optional<String> sessionOfUser(String verifiedUserId) {
        return current.sessionOfUser(verifiedUserId);
    }

    @Override
    public WebchatEvent append(String sessionId, String type, Optional<String> key, LongFunction<String> render) {
        return current.append(sessionId, type, key, render);
    }

    @Override
    public Optional<WebchatEvent> find(String sessionId, String key) {
        return current.find(sessionId, key);
    }

    @Override
    public long lastSeq(String sessionId) {
        return current.lastSeq(sessionId);
    }

    @Override
    public Replay after(String sessionId, long seq) {
        return current.after(sessionId, seq);
    }

    @Override
    public List<WebchatEvent> history(String sessionId) {
        return current.history(sessionId);
    }

    @Override
    public String toString() {
        return current.toString();
    }
}
