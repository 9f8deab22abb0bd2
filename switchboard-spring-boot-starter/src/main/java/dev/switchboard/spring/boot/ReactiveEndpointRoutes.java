package dev.switchboard.spring.boot;

import dev.switchboard.channel.HttpHandler;
import dev.switchboard.channel.HttpRoute;
import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The WebFlux twin of {@link EndpointRoutes}: the channels' declared {@link HttpRoute}s and Server-Sent Events streams
 * as one {@link RouterFunction} over the {@link EndpointTable}, without blocking a server thread. A route's body is
 * read up to its own limit (larger ones get the handler's {@link HttpHandler#tooLarge} answer), the handler's stage
 * becomes the response, a failed stage is a 500 without details; a {@code GET} on a stream offered as Server-Sent
 * Events returns a {@code Flux<ServerSentEvent>} fed by a {@link ReactiveStream}, with the stream handler's extra
 * headers and a comment line every heartbeat interval. Thread-safe. Internal.
 */
final class ReactiveEndpointRoutes implements RouterFunction<ServerResponse> {
    private static final Logger log = LoggerFactory.getLogger(ReactiveEndpointRoutes.class);

    private final EndpointTable table;
    private final StreamSenders senders;
    private final Duration heartbeat;

    ReactiveEndpointRoutes(EndpointTable table, StreamSenders senders, Duration heartbeat) {
        this.table = table;
        this.senders = senders;
        this.heartbeat = heartbeat;
    }

    @Override
    public Mono<HandlerFunction<ServerResponse>> route(ServerRequest request) {
        String path = path(request.exchange().getRequest());
        return Mono.justOrEmpty(table.resolve(request.method().name(), path).map(mount -> {
            if (mount instanceof EndpointTable.StreamMount s) {
                return (HandlerFunction<ServerResponse>) r -> openSse(s.route(), r);
            }
            HttpRoute route = ((EndpointTable.RouteMount) mount).route();
            return (HandlerFunction<ServerResponse>) r -> handle(route, path, r);
        }));
    }

    /** The request's path within the application, percent-decoded (what channels declare their paths against). */
    static String path(ServerHttpRequest request) {
        String raw = request.getPath().pathWithinApplication().value();
        return UriUtils.decode(raw.isEmpty() ? "/" : raw, StandardCharsets.UTF_8);
    }

    /** A reactive request as the channels' server-neutral {@link WebhookRequest}. */
    static WebhookRequest request(ServerHttpRequest request, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.getHeaders().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
        Optional<String> remote = Optional.ofNullable(request.getRemoteAddress()).map(InetSocketAddress::getHostString);
        return new WebhookRequest(request.getMethod().name(), path(request),
                WebhookRoutes.query(request.getURI().getRawQuery()), headers, body, remote);
    }

    private static Mono<ServerResponse> handle(HttpRoute route, String path, ServerRequest request) {
        HttpHandler handler = route.handler();
        int limit = route.maxBodyBytes();
        if (request.headers().contentLength().orElse(0) > limit) {
            return write(handler.tooLarge(path, limit));
        }
        return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), limit)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> Mono.defer(() -> Mono.fromCompletionStage(
                                handler.handle(request(request.exchange().getRequest(), body))))
                        .flatMap(ReactiveEndpointRoutes::write)
                        .onErrorResume(failure -> {
                            log.warn("handler for {} {} failed", request.method(), path, failure);
                            return write(WebhookResponse.json(500, "{\"error\":{\"code\":\"internal\"}}"));
                        }))
                .onErrorResume(DataBufferLimitException.class, tooLarge -> write(handler.tooLarge(path, limit)));
    }

    private static Mono<ServerResponse> write(WebhookResponse response) {
        ServerResponse.BodyBuilder b = ServerResponse.status(response.status());
        response.headers().forEach((name, values) -> b.header(name, values.toArray(String[]::new)));
        return response.body().length == 0 ? b.build() : b.bodyValue(response.body());
    }

    /** Starts a Server-Sent Events response and hands its stream to the channel's handler. */
    private Mono<ServerResponse> openSse(StreamRoute route, ServerRequest request) {
        WebhookRequest opening = request(request.exchange().getRequest(), new byte[0]);
        Map<String, List<String>> extra;
        try {
            extra = route.handler().responseHeaders(opening);
        } catch (RuntimeException e) {
            log.warn("stream {} failed to give its response headers", route.path(), e);
            extra = Map.of();
        }
        Flux<ServerSentEvent<String>> events = Flux.defer(() -> {
            // The connection's own cancel ends the response; a client too slow is cut off by failing it.
            Sinks.Empty<Void> aborted = Sinks.empty();
            ReactiveStream stream = new ReactiveStream(opening, StreamTransport.SERVER_SENT_EVENTS, senders,
                    () -> aborted.tryEmitError(new IllegalStateException("client too slow")));
            // A first comment so the client sees the response headers at once.
            stream.comment("open");
            StreamListener listener;
            try {
                listener = route.handler().open(stream);
            } catch (RuntimeException e) {
                log.warn("stream {} failed to open", route.path(), e);
                stream.close(1011, "internal error");
                listener = StreamListener.NONE;
            }
            stream.attach(listener);
            stream.heartbeat(senders.every(heartbeat, () -> stream.comment("heartbeat")));
            return stream.frames().map(ReactiveEndpointRoutes::event)
                    .doOnComplete(aborted::tryEmitEmpty)
                    .mergeWith(aborted.asMono().then(Mono.<ServerSentEvent<String>>empty()))
                    .doFinally(signal -> stream.ended());
        });
        ServerResponse.BodyBuilder ok = ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                .header("Cache-Control", "no-store").header("X-Accel-Buffering", "no");
        extra.forEach((name, values) -> ok.header(name, values.toArray(String[]::new)));
        return ok.body(BodyInserters.fromServerSentEvents(events));
    }

    private static ServerSentEvent<String> event(ReactiveStream.Frame frame) {
        if (frame.comment()) {
            return ServerSentEvent.<String>builder().comment(frame.text()).build();
        }
        String data = frame.text().replace("\r\n", "\n").replace('\r', '\n');
        ServerSentEvent.Builder<String> b = ServerSentEvent.builder(data);
        if (frame.seq() > 0) {
            b.id(Long.toString(frame.seq()));
        }
        return b.build();
    }
}
