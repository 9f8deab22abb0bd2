package dev.switchboard.spring.boot;

import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Spring's WebSocket support in front of one channel's {@link StreamRoute}: the handshake's request (path, query,
 * headers, client address) becomes the stream's {@link StreamSession#request()}, each connection a
 * {@link StreamSession} handed to the channel's {@code StreamHandler}, client frames go to its listener (a frame above
 * the route's limit closes the connection with 1009), and the end of the connection to its {@code onClose}, once.
 * Thread-safe. Internal.
 */
final class WebSocketStreamHandler extends TextWebSocketHandler implements HandshakeInterceptor {
    private static final Logger log = LoggerFactory.getLogger(WebSocketStreamHandler.class);
    private static final String REQUEST = WebSocketStreamHandler.class.getName() + ".request";
    private static final String STREAM = WebSocketStreamHandler.class.getName() + ".stream";

    private final StreamRoute route;
    private final StreamSenders senders;

    WebSocketStreamHandler(StreamRoute route, StreamSenders senders) {
        this.route = route;
        this.senders = senders;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler wsHandler, Map<String, Object> attributes) {
        if (request instanceof ServletServerHttpRequest servlet) {
            attributes.put(REQUEST, EndpointRequests.from(servlet.getServletRequest(), new byte[0]));
        }
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
                               Exception exception) {
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        session.setTextMessageSizeLimit(route.maxFrameBytes());
        Object request = session.getAttributes().get(REQUEST);
        Stream stream = new Stream(session, request instanceof WebhookRequest r ? r
                : new WebhookRequest("GET", route.path(), Map.of(), Map.of(), new byte[0],
                java.util.Optional.empty()));
        session.getAttributes().put(STREAM, stream);
        StreamListener listener;
        try {
            listener = route.handler().open(stream);
        } catch (RuntimeException e) {
            log.warn("stream {} failed to open", route.path(), e);
            stream.close(1011, "internal error");
            listener = StreamListener.NONE;
        }
        stream.attach(listener);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        Stream stream = (Stream) session.getAttributes().get(STREAM);
        if (stream == null) {
            return;
        }
        String text = message.getPayload();
        // The container's own limit is a buffer size in characters; the route's is in bytes.
        if (text.length() > route.maxFrameBytes()
                || text.getBytes(StandardCharsets.UTF_8).length > route.maxFrameBytes()) {
            stream.close(CloseStatus.TOO_BIG_TO_PROCESS.getCode(), "frame too large");
            return;
        }
        stream.frame(text);
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("stream {} transport error: {}", route.path(), exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Stream stream = (Stream) session.getAttributes().get(STREAM);
        if (stream != null) {
            stream.ended();
        }
    }

    /** One client connection as the channel's {@link StreamSession}. */
    private final class Stream implements StreamSession {
        private final WebSocketSession session;
        private final WebhookRequest request;
        private final StreamSenders.Lane out;
        private final Runnable forget;
        private StreamListener listener;
        private boolean closing;
        private boolean ended;
        private boolean notified;

        Stream(WebSocketSession session, WebhookRequest request) {
            this.session = session;
            this.request = request;
            this.out = senders.lane(e -> {
                log.debug("stream {} write failed: {}", route.path(), e.toString());
                closeQuietly(CloseStatus.SERVER_ERROR);
            });
            this.forget = senders.opened(() -> close(CloseStatus.GOING_AWAY.getCode(), "server stopping"));
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
            synchronized (this) {
                if (closing || ended) {
                    return;
                }
            }
            TextMessage message = new TextMessage(text);
            out.submit(() -> {
                if (session.isOpen()) {
                    session.sendMessage(message);
                }
            });
        }

        @Override
        public void close(int code, String reason) {
            synchronized (this) {
                if (closing) {
                    return;
                }
                closing = true;
            }
            CloseStatus status;
            try {
                status = new CloseStatus(code, reason);
            } catch (IllegalArgumentException e) {
                status = CloseStatus.SERVER_ERROR;
            }
            CloseStatus s = status;
            out.submit(() -> closeQuietly(s));
        }

        private void closeQuietly(CloseStatus status) {
            try {
                if (session.isOpen()) {
                    session.close(status);
                }
            } catch (Exception e) {
                log.debug("stream {} close failed: {}", route.path(), e.toString());
            }
        }

        void attach(StreamListener l) {
            synchronized (this) {
                listener = l;
                if (!ended || notified) {
                    return;
                }
                notified = true;
            }
            l.onClose();
        }

        void frame(String text) {
            StreamListener l;
            synchronized (this) {
                l = listener;
            }
            if (l != null) {
                l.onFrame(text);
            }
        }

        void ended() {
            forget.run();
            StreamListener l;
            synchronized (this) {
                ended = true;
                if (listener == null || notified) {
                    return;
                }
                notified = true;
                l = listener;
            }
            l.onClose();
        }

        @Override
        public String toString() {
            return "WebSocketStream[" + request.path() + "]";
        }
    }
}
