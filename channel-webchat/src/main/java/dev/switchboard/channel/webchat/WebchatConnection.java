package dev.switchboard.channel.webchat;

/**
 * One open stream to a visitor's browser (a WebSocket, or a Server-Sent Events response), as the transport-neutral
 * {@link WebchatEndpoint} sees it. A server adapter implements it over its own socket type. Implementations must
 * keep frames in the order {@link #send} was called and must not block: queue and write asynchronously.
 */
public interface WebchatConnection {

    /**
     * Queues one frame for the visitor. {@code seq} is the frame's sequence number in the visitor's conversation, or
     * 0 for transient frames (ready, presence, typing, connection errors) that are not replayed; SSE adapters write
     * it as the {@code id:} line.
     */
    void send(long seq, String json);

    /** Closes the stream after the frames already queued; {@code code} follows WebSocket close codes. */
    void close(int code, String reason);
}
