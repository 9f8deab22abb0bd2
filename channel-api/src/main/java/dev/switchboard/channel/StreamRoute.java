package dev.switchboard.channel;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One stream endpoint a channel declares in its {@link HttpEndpoints}: the path clients open it at (exact, or a
 * {@code /*} prefix as for {@link HttpRoute}), the transports offered there, the largest frame a client may send, and
 * the handler. A server offering WebSocket upgrades them on this path; a plain {@code GET} gets a Server-Sent Events
 * response when {@link StreamTransport#SERVER_SENT_EVENTS} is offered, and otherwise falls through to the next
 * matching route.
 *
 * @param path where clients open the stream
 * @param transports at least one
 * @param maxFrameBytes the largest frame the client may send (WebSocket)
 * @param handler what serves the streams
 */
public record StreamRoute(String path, Set<StreamTransport> transports, int maxFrameBytes, StreamHandler handler) {
    public StreamRoute {
        HttpRoute.checkPath(path);
        Objects.requireNonNull(transports, "transports");
        if (transports.isEmpty()) {
            throw new IllegalArgumentException("a stream route needs at least one transport: " + path);
        }
        transports = Set.copyOf(EnumSet.copyOf(transports));
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, got " + maxFrameBytes);
        }
        Objects.requireNonNull(handler, "handler");
    }

    /** A WebSocket stream at {@code path}. */
    public static StreamRoute webSocket(String path, int maxFrameBytes, StreamHandler handler) {
        return new StreamRoute(path, Set.of(StreamTransport.WEBSOCKET), maxFrameBytes, handler);
    }

    /** A Server-Sent Events stream at {@code path} (clients send nothing over it). */
    public static StreamRoute serverSentEvents(String path, StreamHandler handler) {
        return new StreamRoute(path, Set.of(StreamTransport.SERVER_SENT_EVENTS), 1, handler);
    }
}
