package dev.switchboard.channel;

import java.util.List;
import java.util.Map;

/**
 * A channel's endpoint for clients that hold a connection open (the website chat's visitors; any push channel a
 * plugin writes), declared with its path as a {@link StreamRoute} and mounted by any server: the server accepts the
 * connection, calls {@link #open} with a {@link StreamSession} to send frames on, and passes the client's frames and
 * the end of the stream to the returned {@link StreamListener}. Resuming after a dropped connection is the channel's
 * protocol: typically the client names the last sequence number it saw (a query parameter, or {@code Last-Event-ID})
 * and {@code open} replays what came after it. Implementations are thread-safe.
 */
@FunctionalInterface
public interface StreamHandler {

    /**
     * A client opened a stream. The handler may send frames at once (a greeting, a replay) and refuses a client by
     * sending an error frame, closing the session and returning {@link StreamListener#NONE}. Must not block.
     */
    StreamListener open(StreamSession session);

    /**
     * Extra headers of the HTTP response that starts a Server-Sent Events stream for {@code request} (CORS headers for
     * a page on another origin); the server sets the content type and caching headers itself. Default: none.
     */
    default Map<String, List<String>> responseHeaders(WebhookRequest request) {
        return Map.of();
    }
}
