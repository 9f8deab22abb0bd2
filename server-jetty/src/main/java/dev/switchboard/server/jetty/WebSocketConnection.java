package dev.switchboard.server.jetty;

import dev.switchboard.channel.webchat.WebchatConnection;
import dev.switchboard.channel.webchat.WebchatEndpoint;
import java.util.OptionalLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One visitor WebSocket: Jetty's listener on one side, a {@link WebchatConnection} for the transport-neutral endpoint
 * on the other. Jetty queues whole-message sends in order, so {@link #send} never blocks. Public only because
 * Jetty invokes listener methods through a public lookup; it is not part of the API (no public constructor).
 */
public final class WebSocketConnection implements Session.Listener.AutoDemanding, WebchatConnection {
    private final WebchatEndpoint endpoint;
    private final String token;
    private final OptionalLong after;
    private final String remoteAddress;
    private volatile Session session;
    private volatile WebchatEndpoint.VisitorStream stream;

    WebSocketConnection(WebchatEndpoint endpoint, String token, OptionalLong after, String remoteAddress) {
        this.endpoint = endpoint;
        this.token = token;
        this.after = after;
        this.remoteAddress = remoteAddress;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        this.stream = endpoint.open(token, after, remoteAddress, this);
    }

    @Override
    public void onWebSocketText(String message) {
        WebchatEndpoint.VisitorStream s = stream;
        if (s != null) {
            s.onText(message);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        release();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        release();
    }

    private void release() {
        WebchatEndpoint.VisitorStream s = stream;
        if (s != null) {
            s.closed();
        }
    }

    @Override
    public void send(long seq, String json) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendText(json, Callback.NOOP);
        }
    }

    @Override
    public void close(int code, String reason) {
        Session s = session;
        if (s != null) {
            s.close(code, reason, Callback.NOOP);
        }
    }
}
