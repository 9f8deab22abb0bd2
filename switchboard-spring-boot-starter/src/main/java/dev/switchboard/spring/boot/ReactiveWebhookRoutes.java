package dev.switchboard.spring.boot;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The WebFlux twin of {@link WebhookRoutes}: the same paths and the same rules (exact body bytes up to a limit, 413
 * above it; the answer once the channel's stage completes, i.e. after commit; 500 when it fails), without blocking a
 * server thread: the channel's stage becomes the response {@link Mono}. Thread-safe. Internal.
 */
final class ReactiveWebhookRoutes {
    private static final Logger log = LoggerFactory.getLogger(ReactiveWebhookRoutes.class);

    private ReactiveWebhookRoutes() {
    }

    static RouterFunction<ServerResponse> of(List<Channel> channels, String prefix, long maxBodyBytes,
                                             BiFunction<Channel, WebhookHandler, WebhookHandler> decorate) {
        Map<String, WebhookHandler> mounts = WebhookRoutes.mounts(channels, prefix, decorate);
        if (mounts.isEmpty()) {
            return request -> Mono.empty();
        }
        RouterFunctions.Builder routes = RouterFunctions.route();
        mounts.forEach((path, handler) ->
                routes.route(RequestPredicates.path(path), request -> handle(handler, request, maxBodyBytes)));
        return routes.build();
    }

    private static Mono<ServerResponse> handle(WebhookHandler handler, ServerRequest request, long maxBodyBytes) {
        int limit = (int) Math.min(Integer.MAX_VALUE, maxBodyBytes);
        return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), limit)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> Mono.fromCompletionStage(() -> handler.handle(webhookRequest(handler, request, body)))
                        .flatMap(ReactiveWebhookRoutes::respond)
                        .onErrorResume(failure -> {
                            log.warn("Webhook {} failed; answering 500 so the platform retries: {}", handler.path(),
                                    failure.toString());
                            return ServerResponse.status(500).build();
                        }))
                .onErrorResume(DataBufferLimitException.class, tooLarge -> ServerResponse.status(413).build());
    }

    private static WebhookRequest webhookRequest(WebhookHandler handler, ServerRequest request, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().asHttpHeaders().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
        Map<String, List<String>> query = new LinkedHashMap<>();
        request.queryParams().forEach((name, values) -> query.put(name, new ArrayList<>(values)));
        Optional<String> remote = request.remoteAddress().map(InetSocketAddress::getHostString);
        return new WebhookRequest(request.method().name(), handler.path(), query, headers, body, remote);
    }

    private static Mono<ServerResponse> respond(WebhookResponse response) {
        ServerResponse.BodyBuilder b = ServerResponse.status(response.status());
        response.headers().forEach((name, values) -> b.header(name, values.toArray(String[]::new)));
        return response.body().length == 0 ? b.build() : b.bodyValue(response.body());
    }
}
