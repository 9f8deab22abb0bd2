package dev.switchboard.channel.webchat;

import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Where webchat sessions and their sequenced events live: the source of truth for resume and for the history a
 * reloaded widget shows. {@link InMemoryWebchatLog} keeps everything in the heap; a host that runs several nodes or
 * wants history to survive restarts implements it over its database.
 *
 * <p>The {@link WebchatEndpoint} calls {@link #append} for one session from one thread at a time (it holds the
 * session's lock), so an implementation only needs to be safe across sessions. Sequence numbers start at 1 and grow by
 * one per event of a session.
 */
public interface WebchatLog {

    void createSession(VisitorSession session);

    Optional<VisitorSession> session(String sessionId);

    /** The session of a verified host user, so the same logged-in user sees one conversation on every device. */
    Optional<String> sessionOfUser(String verifiedUserId);

    /**
     * Appends the next event of {@code sessionId}. {@code render} receives the assigned sequence number and returns
     * the frame JSON. When {@code key} is present the event can later be found with {@link #find}.
     */
    WebchatEvent append(String sessionId, String type, Optional<String> key, LongFunction<String> render);

    /** The event stored under {@code key}, for idempotent client messages and outbound sends. */
    Optional<WebchatEvent> find(String sessionId, String key);

    /** The last sequence number of the session, 0 when it has no events. */
    long lastSeq(String sessionId);

    /**
     * The events after {@code seq}, oldest first; or a gap when some of them are no longer in the replay window, so
     * the widget must refetch {@link #history}.
     */
    Replay after(String sessionId, long seq);

    /** The whole visible conversation (messages and read receipts), oldest first. */
    List<WebchatEvent> history(String sessionId);

    /**
     * The answer to a resume request.
     *
     * @param gap true when the requested events are older than the replay window
     */
    record Replay(List<WebchatEvent> events, boolean gap) {
        public Replay {
            events = List.copyOf(events);
        }
    }
}
