package dev.switchboard.server.jetty;

import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.WebhookRequest;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One client WebSocket of a channel's {@link StreamRoute}: Jetty's listener on one side, a {@link StreamSession} for
 * the channel's transport-neutral handler on the other. Jetty queues whole-message sends in order, so {@link #send}
 * never blocks. Public only because Jetty invokes listener methods through a public lookup; it is not part of the API
 * (no public constructor).
 */
public final class WebSocketStream implements Session.Listener.AutoDemanding, StreamSession {
    private final StreamRoute route;
    private final WebhookRequest request;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Session session;
    private volatile StreamListener listener;

    WebSocketStream(StreamRoute route, WebhookRequest request) {
        this.route = route;
        this.request = request;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        session.setMaxTextMessageSize(route.maxFrameBytes());
        this.listener = route.handler().open(this);
    }

    @Override
    public void onWebSocketText(String message) {
        StreamListener l = listener;
        if (l != null) {
            l.onFrame(message);
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
        StreamListener l = listener;
        if (l != null && ended.compareAndSet(false, true)) {
            l.onClose();
        }
    }

    @Override
    public WebhookRequest request() {
        return request;
    }

    @Override
    public StreamTransport transport() {
        return StreamTransport.WEBSOCKET;
    }

    @Override
    public void send(long seq, String text) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendText(text, Callback.NOOP);
        }
    }

    @Override
    public void close(int code, String reason) {
        Session s = session;
        if (s != null) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    @Override
    public String toString() {
        return "WebSocketStream[" + request.path() + "]";
    }
}
