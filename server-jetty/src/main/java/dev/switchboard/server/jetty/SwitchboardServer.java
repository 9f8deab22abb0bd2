package dev.switchboard.server.jetty;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.HttpEndpoints;
import dev.switchboard.channel.HttpHandler;
import dev.switchboard.channel.HttpRoute;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded Jetty 12 server for a host that has no HTTP server of its own: it mounts every channel's
 * {@link WebhookHandler} and whatever routes and streams each channel declares in {@link Channel#endpoints()} (the
 * website chat's HTTP endpoints, its WebSocket and Server-Sent Events streams; a plugin channel's own stream), the
 * host's own {@link Route}s and static files, all on one port, by path through Jetty's path mappings: the server knows
 * no channel by name. Built on Jetty's core Handler API (no servlets); request bodies are read asynchronously with a
 * size limit and a response is written only when the handler's stage completes, so no thread is held per pending
 * request.
 *
 * <pre>{@code
 * SwitchboardServer server = SwitchboardServer.builder().port(8080)
 *     .channel(telegram).channel(webchatShopA).channel(webchatShopB)
 *     .route("GET", "/api/conversations", req -> ...)
 *     .staticResources("/", Path.of("public"))
 *     .build().start();
 * }</pre>
 */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardServer.class);
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "application/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("ico", "image/x-icon"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("woff2", "font/woff2"));

    private final Server server;
    private final ServerConnector connector;
    private final Mounts mounts;
    private final List<StaticEntry> statics;
    private final Duration sseHeartbeat;
    private final Set<SseStream> sseStreams = ConcurrentHashMap.newKeySet();
    private final Set<String> allowedHosts;
    private ScheduledExecutorService heartbeats;

    private SwitchboardServer(Builder b, Mounts mounts) {
        this.mounts = mounts;
        this.statics = List.copyOf(b.statics);
        this.sseHeartbeat = b.sseHeartbeat;
        QueuedThreadPool threads = new QueuedThreadPool(b.maxThreads, Math.min(8, b.maxThreads));
        threads.setName("switchboard-http");
        this.allowedHosts = b.allowedHosts;
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        server.setErrorHandler(new JsonErrorHandler());
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.setIdleTimeout(b.idleTimeout.toMillis());
        connector.setAcceptQueueSize(b.acceptQueueSize);
        server.addConnector(connector);
        Handler root = new RootHandler();
        List<StreamRoute> webSockets = mounts.webSockets();
        if (webSockets.isEmpty()) {
            server.setHandler(new HostGuard(root));
            return;
        }
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(b.idleTimeout);
            container.setMaxTextMessageSize(webSockets.stream().mapToInt(StreamRoute::maxFrameBytes).max()
                    .orElse(64 * 1024));
            for (StreamRoute stream : webSockets) {
                container.addMapping(Mounts.spec(stream.path()), (req, resp, cb) ->
                        new WebSocketStream(stream, toWebhookRequest(req, new byte[0])));
            }
        });
        ws.setHandler(root);
        server.setHandler(new HostGuard(ws));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening; returns this server. */
    public SwitchboardServer start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the server on port " + connector.getPort(), e);
        }
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-sse-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = sseHeartbeat.toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        log.info("Switchboard server listening on port {}", port());
        return this;
    }

    /** The port the server listens on (the ephemeral one when built with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port} of this server, for tests and logs. */
    public URI uri() {
        String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0") ? "localhost"
                : connector.getHost();
        return URI.create("http://" + host + ":" + port());
    }

    /** Stops the server, closing open streams; idempotent. */
    public void stop() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("error while stopping the server", e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "SwitchboardServer[port=" + (server.isStarted() ? port() : connector.getPort()) + ", "
                + mounts.size() + " mounted paths, " + statics.size() + " static roots]";
    }

    private void heartbeat() {
        for (SseStream c : sseStreams) {
            if (c.isFinished()) {
                sseStreams.remove(c);
            } else {
                c.heartbeat();
            }
        }
    }

    // ------------------------------------------------------------------ request handling

    /**
     * Refuses requests whose {@code Host} is not one of {@link Builder#allowedHosts} (DNS rebinding: a page on an
     * attacker's name that resolves to this server must not reach it), before WebSocket upgrades and routes.
     */
    private final class HostGuard extends Handler.Wrapper {
        HostGuard(Handler next) {
            super(next);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            if (!allowedHosts.isEmpty()) {
                String host = Request.getServerName(request);
                if (host == null || !allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
                    write(response, callback, WebhookResponse.json(421,
                            "{\"error\":{\"code\":\"unknown_host\",\"message\":\"this server does not answer "
                                    + "for that host name\"}}"), false);
                    return true;
                }
            }
            return super.handle(request, response, callback);
        }
    }

    private final class RootHandler extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            Optional<Mounts.Mount> mount = mounts.resolve(method, path);
            if (mount.isPresent()) {
                if (mount.get() instanceof Mounts.StreamMount stream) {
                    openSse(stream.route(), request, response, callback);
                } else if (mount.get() instanceof Mounts.RequestMount r) {
                    HttpHandler handler = r.route().handler();
                    int limit = r.route().maxBodyBytes();
                    readAndRespond(request, response, callback, limit, handler::handle,
                            () -> handler.tooLarge(path, limit));
                }
                return true;
            }
            if (method.equals("GET") || method.equals("HEAD")) {
                for (StaticEntry s : statics) {
                    if (matches(path, s.prefix) && serveStatic(s, path, request, response, callback)) {
                        return true;
                    }
                }
            }
            write(response, callback, WebhookResponse.json(404, "{\"error\":{\"code\":\"not_found\"}}"), false);
            return true;
        }
    }

    private static boolean matches(String path, String prefix) {
        // Static roots only: everything else is resolved through the path mappings.
        return prefix.equals("/") || path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix
                : prefix + "/");
    }

    private void readAndRespond(Request request, Response response, Callback callback, int limit,
                                java.util.function.Function<WebhookRequest, CompletionStage<WebhookResponse>> handler,
                                java.util.function.Supplier<WebhookResponse> tooLarge) {
        long declared = request.getHeaders().getLongField("Content-Length");
        if (declared > limit) {
            write(response, callback, tooLarge.get(), false);
            return;
        }
        Content.Source.asByteArrayAsync(request, limit).whenComplete((body, readError) -> {
            if (readError != null) {
                boolean tooBig = Request.getContentBytesRead(request) >= limit;
                write(response, callback, tooBig ? tooLarge.get()
                        : WebhookResponse.json(400, "{\"error\":{\"code\":\"bad_body\"}}"), false);
                return;
            }
            CompletionStage<WebhookResponse> stage;
            try {
                stage = handler.apply(toWebhookRequest(request, body));
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            boolean head = request.getMethod().equals("HEAD");
            stage.whenComplete((answer, error) -> {
                if (error != null) {
                    log.warn("handler for {} {} failed", request.getMethod(), Request.getPathInContext(request),
                            error);
                    write(response, callback, WebhookResponse.json(500, "{\"error\":{\"code\":\"internal\"}}"),
                            false);
                } else {
                    write(response, callback, answer, head);
                }
            });
        });
    }

    /** Starts a Server-Sent Events response and hands it to the stream's handler as a {@link StreamSession}. */
    private void openSse(StreamRoute stream, Request request, Response response, Callback callback) {
        WebhookRequest opening = toWebhookRequest(request, new byte[0]);
        response.setStatus(200);
        Map<String, List<String>> extra;
        try {
            extra = stream.handler().responseHeaders(opening);
        } catch (RuntimeException e) {
            log.warn("stream {} failed to give its response headers", stream.path(), e);
            extra = Map.of();
        }
        extra.forEach((name, values) -> values.forEach(v -> response.getHeaders().add(name, v)));
        response.getHeaders().put("Content-Type", "text/event-stream; charset=utf-8");
        response.getHeaders().put("Cache-Control", "no-store");
        response.getHeaders().put("X-Accel-Buffering", "no");
        SseStream session = new SseStream(opening, response, callback);
        request.addFailureListener(session::end);
        request.addIdleTimeoutListener(t -> false);
        sseStreams.add(session);
        // Start the stream with a comment so clients see the response headers at once.
        session.heartbeat();
        try {
            session.attach(stream.handler().open(session));
        } catch (RuntimeException e) {
            log.warn("stream {} failed to open", stream.path(), e);
            session.close(1011, "internal error");
        }
    }

    private boolean serveStatic(StaticEntry s, String path, Request request, Response response, Callback callback) {
        String rel = path.equals(s.prefix) ? "" : path.substring(s.prefix.endsWith("/") ? s.prefix.length()
                : s.prefix.length() + 1);
        if (rel.isEmpty() || rel.endsWith("/")) {
            rel = rel + "index.html";
        }
        if (rel.contains("..") || rel.contains("\\") || rel.startsWith("/")) {
            return false;
        }
        byte[] bytes;
        try {
            if (s.directory != null) {
                Path file = s.directory.resolve(rel).normalize();
                if (!file.startsWith(s.directory) || !Files.isRegularFile(file)) {
                    return false;
                }
                bytes = Files.readAllBytes(file);
            } else {
                try (var in = s.loader.getResourceAsStream(s.classpathPrefix + rel)) {
                    if (in == null) {
                        return false;
                    }
                    bytes = in.readAllBytes();
                }
            }
        } catch (java.io.IOException e) {
            log.warn("cannot read static resource {}", rel, e);
            return false;
        }
        String ext = rel.substring(rel.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        WebhookResponse answer = new WebhookResponse(200, Map.of(
                "Content-Type", List.of(CONTENT_TYPES.getOrDefault(ext, "application/octet-stream")),
                "Cache-Control", List.of("no-cache")), bytes);
        write(response, callback, answer, request.getMethod().equals("HEAD"));
        return true;
    }

    private static void write(Response response, Callback callback, WebhookResponse answer, boolean headOnly) {
        response.setStatus(answer.status());
        answer.headers().forEach((name, values) -> {
            if (name.equalsIgnoreCase("X-Content-Type-Options")) {
                response.getHeaders().put(name, values.get(0));
                return;
            }
            for (String v : values) {
                response.getHeaders().add(name, v);
            }
        });
        byte[] body = answer.body();
        response.getHeaders().put("Content-Length", body.length);
        response.write(true, headOnly ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }

    private static WebhookRequest toWebhookRequest(Request request, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        String raw = request.getHttpURI().getQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        return new WebhookRequest(request.getMethod(), Request.getPathInContext(request), query, headers, body,
                Optional.ofNullable(Request.getRemoteAddr(request)));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private record HostRoute(String method, String prefix, Route route) {
    }

    private record StaticEntry(String prefix, Path directory, ClassLoader loader, String classpathPrefix) {
    }

    /**
     * Configures a {@link SwitchboardServer}: port and host, what is mounted (webhooks, channels' endpoints, host
     * routes, static files) and limits. A request goes to the mount with the best-matching path (exact, then the
     * longest prefix; on one path the first added that accepts the method), and to static files when nothing matches.
     */
    public static final class Builder {
        private int port = 8080;
        private String host = "0.0.0.0";
        private final Map<String, WebhookHandler> webhooks = new LinkedHashMap<>();
        private final List<HostRoute> routes = new ArrayList<>();
        private final List<HttpEndpoints> endpoints = new ArrayList<>();
        private final List<StaticEntry> statics = new ArrayList<>();
        private int maxBodyBytes = 1024 * 1024;
        private int maxThreads = 200;
        private int acceptQueueSize = 1024;
        private Duration idleTimeout = Duration.ofMinutes(2);
        private Duration sseHeartbeat = Duration.ofSeconds(20);
        private Set<String> allowedHosts = Set.of();

        private Builder() {
        }

        /** The port to listen on; 0 picks a free one (see {@link SwitchboardServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The interface to bind, e.g. {@code 127.0.0.1}; default all interfaces. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The host names (without port) requests may carry in {@code Host}, e.g. {@code localhost} and
         * {@code support.example.com}; others get 421 {@code unknown_host}. Empty (the default) accepts any: set it
         * whenever the server is reachable by a browser, so a DNS-rebinding page cannot talk to it.
         */
        public Builder allowedHosts(Set<String> hosts) {
            Set<String> lower = new java.util.HashSet<>();
            for (String h : hosts) {
                if (h.isBlank() || h.contains(":") && !h.startsWith("[")) {
                    throw new IllegalArgumentException("allowedHosts takes host names without port, got '" + h + "'");
                }
                lower.add(h.toLowerCase(Locale.ROOT));
            }
            this.allowedHosts = Set.copyOf(lower);
            return this;
        }

        /** Mounts a channel's webhook at its {@link WebhookHandler#path()}. */
        public Builder webhook(WebhookHandler handler) {
            if (!handler.path().startsWith("/")) {
                throw new IllegalArgumentException("webhook path must start with '/': " + handler.path());
            }
            if (webhooks.putIfAbsent(handler.path(), handler) != null) {
                throw new IllegalArgumentException("two webhooks on path " + handler.path());
            }
            return this;
        }

        /**
         * Mounts what {@code channel} serves: its webhook if it has one, and the routes and streams of its
         * {@link Channel#endpoints()} (a website chat's HTTP endpoints and WebSocket/SSE streams). Channels with
         * overlapping paths fail at {@link #build()}.
         */
        public Builder channel(Channel channel) {
            channel.webhook().ifPresent(this::webhook);
            return endpoints(channel.endpoints());
        }

        /** Mounts routes and streams declared outside a channel (a host's own push stream, a test endpoint). */
        public Builder endpoints(HttpEndpoints declared) {
            endpoints.add(Objects.requireNonNull(declared, "declared"));
            return this;
        }

        /**
         * Mounts {@code route} for requests whose path is {@code pathPrefix} or below it ({@code /api} matches
         * {@code /api/conversations/7}); {@code method} is an HTTP method or {@code *}.
         */
        public Builder route(String method, String pathPrefix, Route route) {
            Objects.requireNonNull(route, "route");
            if (!pathPrefix.startsWith("/")) {
                throw new IllegalArgumentException("route prefix must start with '/': " + pathPrefix);
            }
            routes.add(new HostRoute(method.toUpperCase(Locale.ROOT), pathPrefix, route));
            return this;
        }

        /** Serves the files under {@code directory} at {@code urlPrefix} ({@code index.html} for directories). */
        public Builder staticResources(String urlPrefix, Path directory) {
            if (!urlPrefix.startsWith("/")) {
                throw new IllegalArgumentException("urlPrefix must start with '/': " + urlPrefix);
            }
            statics.add(new StaticEntry(urlPrefix, directory.toAbsolutePath().normalize(), null, null));
            return this;
        }

        /** Serves class-path resources under {@code classpathPrefix} (e.g. {@code "public/"}) at {@code urlPrefix}. */
        public Builder classpathResources(String urlPrefix, ClassLoader loader, String classpathPrefix) {
            if (!urlPrefix.startsWith("/")) {
                throw new IllegalArgumentException("urlPrefix must start with '/': " + urlPrefix);
            }
            String cp = classpathPrefix.isEmpty() || classpathPrefix.endsWith("/") ? classpathPrefix
                    : classpathPrefix + "/";
            statics.add(new StaticEntry(urlPrefix, null, loader, cp));
            return this;
        }

        /** The largest webhook or route request body (default 1 MiB); larger ones get 413. */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive");
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        public Builder maxThreads(int threads) {
            if (threads < 8) {
                throw new IllegalArgumentException("maxThreads must be >= 8");
            }
            this.maxThreads = threads;
            return this;
        }

        /** The TCP accept backlog (default 1024), for bursts of new connections. */
        public Builder acceptQueueSize(int size) {
            this.acceptQueueSize = size;
            return this;
        }

        /** How long a silent connection stays open (default 2 minutes; the widget pings every 25 s). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How often quiet SSE streams get a comment line (default 20 s). */
        public Builder sseHeartbeat(Duration every) {
            if (every.isZero() || every.isNegative()) {
                throw new IllegalArgumentException("sseHeartbeat must be positive");
            }
            this.sseHeartbeat = every;
            return this;
        }

        /**
         * Mounts everything on one path mapping and builds the server.
         *
         * @throws IllegalArgumentException when two channels declare the same path and method (two website chats on
         *     one base path)
         * @throws IllegalStateException when nothing is mounted
         */
        public SwitchboardServer build() {
            Mounts mounts = new Mounts();
            for (WebhookHandler hook : webhooks.values()) {
                mounts.add(new HttpRoute("*", hook.path(), maxBodyBytes, hook::handle), true, "webhook");
            }
            endpoints.forEach(mounts::add);
            for (HostRoute r : routes) {
                String spec = r.prefix().equals("/") ? "/*" : r.prefix().endsWith("/") ? r.prefix() + "*"
                        : r.prefix() + "/*";
                mounts.add(new HttpRoute(r.method(), spec, maxBodyBytes, r.route()::handle), false, "route");
            }
            if (mounts.isEmpty() && statics.isEmpty()) {
                throw new IllegalStateException("nothing to serve: add a channel, webhook, route or static files");
            }
            return new SwitchboardServer(this, mounts);
        }
    }
}
