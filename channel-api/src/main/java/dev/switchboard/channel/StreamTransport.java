package dev.switchboard.channel;

/**
 * How a server carries a {@link StreamRoute}'s frames. With {@link #WEBSOCKET} frames flow both ways; with
 * {@link #SERVER_SENT_EVENTS} only from the server (each frame an {@code id:}/{@code data:} record, the sequence
 * number as the id, a client's {@code Last-Event-ID} in the opening request's headers), and the client sends its
 * frames through one of the channel's {@link HttpRoute}s.
 */
public enum StreamTransport {
    WEBSOCKET,
    SERVER_SENT_EVENTS
}
