package dev.switchboard.channel;

/**
 * One open stream to a client (a WebSocket, or a Server-Sent Events response), as a {@link StreamHandler} sees it,
 * whatever the server and transport. The server implements it; {@link #send} keeps frames in call order and never
 * blocks (frames are queued and written asynchronously), so a handler may call it under its own locks.
 * Thread-safe.
 */
public interface StreamSession {

    /**
     * The request that opened the stream: path, query, headers (a resuming SSE client's {@code Last-Event-ID}) and
     * the client's address; the body is empty.
     */
    WebhookRequest request();

    /** The transport the client chose. */
    StreamTransport transport();

    /**
     * Queues one text frame. {@code seq} is the frame's sequence number in the channel's protocol, or 0 for frames
     * that are not replayed on resume; Server-Sent Events write a positive one as the record's {@code id:} line, so a
     * reconnecting browser reports the last one it saw. Frames after {@link #close} are dropped.
     */
    void send(long seq, String text);

    /** Queues a frame without a sequence number. */
    default void send(String text) {
        send(0, text);
    }

    /**
     * Closes the stream after the frames already queued; {@code code} follows WebSocket close codes (1000 normal,
     * 1001 going away, 1008 policy violation) and is ignored by Server-Sent Events. The handler's listener then gets
     * {@link StreamListener#onClose()}.
     */
    void close(int code, String reason);
}
