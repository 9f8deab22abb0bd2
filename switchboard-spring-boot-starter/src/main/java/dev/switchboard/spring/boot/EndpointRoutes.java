package dev.switchboard.spring.boot;

import dev.switchboard.channel.HttpHandler;
import dev.switchboard.channel.HttpRoute;
import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The channels' declared {@link HttpRoute}s and Server-Sent Events streams on the application's Spring MVC server, as
 * one {@link RouterFunction} that looks requests up in the {@link EndpointTable}: a route's body is read up to its own
 * limit (larger ones get the handler's {@link HttpHandler#tooLarge} answer), the handler's response is written when
 * its stage completes without holding a server thread, a failed stage is a 500 without details; a {@code GET} on a
 * stream offered as Server-Sent Events starts one, with the stream handler's extra headers, a comment line every
 * heartbeat interval and its own async timeout (instead of Spring MVC's, 30 s on Tomcat). Paths are the channels'
 * own (no prefix). Thread-safe. Internal.
 */
final class EndpointRoutes implements RouterFunction<ServerResponse> {
    private static final Logger log = LoggerFactory.getLogger(EndpointRoutes.class);

    private final EndpointTable table;
    private final StreamSenders senders;
    private final Duration heartbeat;
    private final Duration sseTimeout;

    EndpointRoutes(EndpointTable table, StreamSenders senders, Duration heartbeat,
                   Duration sseTimeout) {
        this.table = table;
        this.senders = senders;
        this.heartbeat = heartbeat;
        this.sseTimeout = sseTimeout;
    }

    @Override
    public Optional<HandlerFunction<ServerResponse>> route(ServerRequest request) {
        HttpServletRequest servlet = request.servletRequest();
        String path = EndpointRequests.path(servlet);
        return table.resolve(servlet.getMethod(), path).map(mount -> {
            if (mount instanceof EndpointTable.StreamMount s) {
                return r -> openSse(s.route(), r);
            }
            HttpRoute route = ((EndpointTable.RouteMount) mount).route();
            return r -> handle(route, path, r);
        });
    }

    private static ServerResponse handle(HttpRoute route, String path, ServerRequest request) throws IOException {
        HttpServletRequest servlet = request.servletRequest();
        HttpHandler handler = route.handler();
        int limit = route.maxBodyBytes();
        byte[] body = servlet.getContentLengthLong() > limit ? null : read(servlet.getInputStream(), limit);
        if (body == null) {
            return write(handler.tooLarge(path, limit));
        }
        CompletableFuture<WebhookResponse> stage;
        try {
            stage = handler.handle(EndpointRequests.from(servlet, body)).toCompletableFuture();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return ServerResponse.async(stage.handle((response, failure) -> {
            if (failure != null) {
                log.warn("handler for {} {} failed", servlet.getMethod(), path, failure);
                return write(WebhookResponse.json(500, "{\"error\":{\"code\":\"internal\"}}"));
            }
            return write(response);
        }));
    }

    private static ServerResponse write(WebhookResponse response) {
        ServerResponse.BodyBuilder b = ServerResponse.status(response.status());
        response.headers().forEach((name, values) -> b.header(name, values.toArray(String[]::new)));
        return response.body().length == 0 ? b.build() : b.body(response.body());
    }

    /** The body, or null when it is longer than {@code max}. */
    private static byte[] read(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Starts a Server-Sent Events response and hands it to the stream's handler. */
    private ServerResponse openSse(StreamRoute stream, ServerRequest request) {
        WebhookRequest opening = EndpointRequests.from(request.servletRequest(), new byte[0]);
        Map<String, List<String>> extra;
        try {
            extra = stream.handler().responseHeaders(opening);
        } catch (RuntimeException e) {
            log.warn("stream {} failed to give its response headers", stream.path(), e);
            extra = Map.of();
        }
        ServerResponse sse = ServerResponse.sse(builder -> {
            SseSession session = new SseSession(opening, builder);
            builder.onComplete(session::ended);
            builder.onTimeout(session::ended);
            builder.onError(e -> session.ended());
            // A first comment so the client sees the response headers at once.
            session.comment("open");
            StreamListener listener;
            try {
                listener = stream.handler().open(session);
            } catch (RuntimeException e) {
                log.warn("stream {} failed to open", stream.path(), e);
                session.close(1011, "internal error");
                listener = StreamListener.NONE;
            }
            session.attach(listener);
            session.startHeartbeat();
        }, sseTimeout);
        return new WithHeaders(sse, extra);
    }

    /** An SSE response with the stream handler's extra headers and no caching. */
    private record WithHeaders(ServerResponse sse, Map<String, List<String>> extra) implements ServerResponse {
        @Override
        public HttpStatusCode statusCode() {
            return HttpStatus.OK;
        }

        @Override
        public HttpHeaders headers() {
            HttpHeaders h = new HttpHeaders();
            extra.forEach(h::addAll);
            return h;
        }

        @Override
        public MultiValueMap<String, Cookie> cookies() {
            return new LinkedMultiValueMap<>();
        }

        @Override
        public ModelAndView writeTo(HttpServletRequest request, HttpServletResponse response, Context context)
                throws ServletException, IOException {
            extra.forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Accel-Buffering", "no");
            return sse.writeTo(request, response, context);
        }
    }

    /** One Server-Sent Events response as the channel's {@link StreamSession}; writes go through its lane. */
    private final class SseSession implements StreamSession {
        private final WebhookRequest request;
        private final ServerResponse.SseBuilder builder;
        private final StreamSenders.Lane out;
        private final Runnable forget;
        private Runnable stopHeartbeat = () -> { };
        private StreamListener listener;
        private boolean closing;
        private boolean ended;
        private boolean notified;

        SseSession(WebhookRequest request, ServerResponse.SseBuilder builder) {
            this.request = request;
            this.builder = builder;
            this.out = senders.lane(e -> {
                log.debug("stream {} write failed: {}", request.path(), e.toString());
                ended();
                builder.complete();
            });
            this.forget = senders.opened(() -> close(1001, "server stopping"));
        }

        @Override
        public WebhookRequest request() {
            return request;
        }

        @Override
        public StreamTransport transport() {
            return StreamTransport.SERVER_SENT_EVENTS;
        }

        void startHeartbeat() {
            Runnable stop = senders.every(heartbeat, () -> comment("heartbeat"));
            synchronized (this) {
                if (!ended) {
                    stopHeartbeat = stop;
                    return;
                }
            }
            stop.run();
        }

        void comment(String text) {
            synchronized (this) {
                if (closing || ended) {
                    return;
                }
            }
            out.submit(() -> {
                builder.comment(text);
                builder.send();
            });
        }

        @Override
        public void send(long seq, String text) {
            synchronized (this) {
                if (closing || ended) {
                    return;
                }
            }
            String data = text.replace("\r\n", "\n").replace('\r', '\n');
            out.submit(() -> {
                if (seq > 0) {
                    builder.id(Long.toString(seq));
                }
                builder.data(data);
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
            out.submit(() -> {
                builder.complete();
                ended();
            });
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

        void ended() {
            forget.run();
            StreamListener l;
            Runnable stop;
            synchronized (this) {
                ended = true;
                stop = stopHeartbeat;
                if (listener == null || notified) {
                    l = null;
                } else {
                    notified = true;
                    l = listener;
                }
            }
            stop.run();
            if (l != null) {
                l.onClose();
            }
        }
    }
}
