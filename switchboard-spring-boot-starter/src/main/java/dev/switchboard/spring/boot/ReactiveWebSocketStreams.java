package dev.switchboard.spring.boot;

import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.WebhookRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The channels' WebSocket streams on WebFlux: a handler mapping that answers only WebSocket upgrade requests on a
 * channel's stream path (exact over prefix, longer prefix first, as for every channel endpoint), so anything else,
 * and a host's own WebSocket mappings on other paths, fall through untouched; each upgrade gets a
 * {@link WebSocketHandler} (run by WebFlux's {@code WebSocketHandlerAdapter}) that hands a {@link ReactiveStream} to
 * the channel's handler. The handshake's path, query, headers and client address reach the channel; the channel's
 * close codes pass through; a text frame above the route's limit closes the connection with 1009, a binary frame
 * with 1003; frames are written as the connection takes them. The handshake does not check the {@code Origin}: the
 * channel's handler decides. Ordered before the application's own mappings. Internal.
 */
final class ReactiveWebSocketStreams extends AbstractHandlerMapping {
    private static final Logger log = LoggerFactory.getLogger(ReactiveWebSocketStreams.class);

    private final EndpointTable table;
    private final StreamSenders senders;

    ReactiveWebSocketStreams(EndpointTable table, StreamSenders senders) {
        this.table = table;
        this.senders = senders;
        setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
    }

    @Override
    protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        if (table.webSockets().isEmpty() || request.getMethod() != HttpMethod.GET
                || !"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
            return Mono.empty();
        }
        return Mono.justOrEmpty(table.webSocket(ReactiveEndpointRoutes.path(request)).map(route ->
                new Connection(route, ReactiveEndpointRoutes.request(request, new byte[0]))));
    }

    /** One upgrade on one channel stream. */
    private final class Connection implements WebSocketHandler {
        private final StreamRoute route;
        private final WebhookRequest opening;

        Connection(StreamRoute route, WebhookRequest opening) {
            this.route = route;
            this.opening = opening;
        }

        @Override
        public Mono<Void> handle(WebSocketSession ws) {
            ReactiveStream stream = new ReactiveStream(opening, StreamTransport.WEBSOCKET, senders,
                    () -> ws.close(new CloseStatus(ReactiveStream.TOO_SLOW, "client too slow")).subscribe());
            StreamListener listener;
            try {
                listener = route.handler().open(stream);
            } catch (RuntimeException e) {
                log.warn("stream {} failed to open", route.path(), e);
                stream.close(CloseStatus.SERVER_ERROR.getCode(), "internal error");
                listener = StreamListener.NONE;
            }
            stream.attach(listener);
            Mono<Void> out = ws.send(stream.frames().map(frame -> ws.textMessage(frame.text())))
                    .then(Mono.defer(() -> ws.close(status(stream.closeCode(), stream.closeReason()))));
            Mono<Void> in = ws.receive().doOnNext(message -> receive(stream, message)).then()
                    .doFinally(signal -> stream.ended());
            return Mono.when(in, out).doFinally(signal -> stream.ended());
        }

        private void receive(ReactiveStream stream, WebSocketMessage message) {
            if (message.getType() == WebSocketMessage.Type.BINARY) {
                stream.close(CloseStatus.NOT_ACCEPTABLE.getCode(), "binary frames are not supported");
            } else if (message.getType() == WebSocketMessage.Type.TEXT) {
                if (message.getPayload().readableByteCount() > route.maxFrameBytes()) {
                    stream.close(CloseStatus.TOO_BIG_TO_PROCESS.getCode(), "frame too large");
                } else {
                    stream.frame(message.getPayloadAsText());
                }
            }
        }
    }

    private static CloseStatus status(int code, String reason) {
        try {
            return new CloseStatus(code, reason);
        } catch (IllegalArgumentException e) {
            return CloseStatus.SERVER_ERROR;
        }
    }
}
