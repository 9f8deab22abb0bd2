package dev.switchboard.channel.webchat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.HttpEndpoints;
import dev.switchboard.channel.HttpHandler;
import dev.switchboard.channel.StreamHandler;
import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Part;
import dev.switchboard.content.Text;
import dev.switchboard.identity.ContactNormalizer;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport-neutral website chat server: what any HTTP server (the bundled Jetty adapter, a Spring controller, a
 * Netty pipeline) calls to host the widget. Plain HTTP requests go to {@link #handle(WebhookRequest)} (session,
 * history, messages for the SSE fallback, uploads, files, transcript, the widget script); streams (a WebSocket, or an
 * SSE response) are attached with {@link #open} and fed the visitor's frames through {@link VisitorStream}.
 *
 * <p>Every event that belongs to a conversation is appended to the {@link WebchatLog} with the next sequence number
 * of its session and then pushed, under the session's lock, to every stream of that session, so a stream sees events
 * in sequence order and a resume ({@code after=SEQ}) joins the live stream with nothing missed or doubled. Presence,
 * typing and the connection's {@code ready} frame are state, not history: they carry no sequence number and are not
 * replayed (a typing indicator from before a network drop is stale; the current presence arrives in {@code ready}).
 */
public final class WebchatEndpoint {

    private static final Logger log = LoggerFactory.getLogger(WebchatEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");
    private static final Pattern CLIENT_ID = Pattern.compile("^[A-Za-z0-9_.:-]{1,64}$");
    private static final int MAX_JSON_BODY = 64 * 1024;
    /**
     * The largest stream frame a transport should accept (adapters configure their WebSocket limit with it). Frames up
     * to this size are parsed, so an oversize message gets a {@code message_too_large} error naming its
     * {@code clientId} instead of a closed socket.
     */
    public static final int MAX_FRAME_BYTES = 1024 * 1024;

    private final WebchatChannel channel;
    private final String base;
    private final WebchatLog store;
    private final VisitorTokens tokens;
    private final VisitorIdentification identification;
    private final WebchatLimits limits;
    private final AddressLimits addressLimits;
    private final AddressRateLimiter sessionsPerAddress;
    private final AddressRateLimiter messagesPerAddress;
    private final WebchatInboundMapper mapper;
    private final WebchatFiles files;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> connectionsPerIp = new ConcurrentHashMap<>();
    private final byte[] widget;
    private volatile InboundSink sink;
    private volatile boolean agentsOnline;
    private volatile boolean lastPresence;

    WebchatEndpoint(WebchatChannel channel, WebchatConfig config, WebchatLog log, WebchatFileStore fileStore,
                    java.time.Clock clock) {
        this.channel = channel;
        this.base = config.basePath();
        this.store = log;
        this.tokens = new VisitorTokens(config.tokenSecret());
        this.identification = new VisitorIdentification(config);
        this.limits = config.limits();
        this.addressLimits = config.addressLimits();
        this.sessionsPerAddress = new AddressRateLimiter(3_600_000L, clock::millis);
        this.messagesPerAddress = new AddressRateLimiter(60_000L, clock::millis);
        this.mapper = new WebchatInboundMapper(config.tenant(), config.channelId(), identification.normalizer());
        this.files = new WebchatFiles(fileStore, config.uploadLimits(), clock, config.fileOrigin(), base);
        this.agentsOnline = config.agentsOnline();
        this.widget = loadWidget();
        this.lastPresence = online();
    }

    // ------------------------------------------------------------------ lifecycle (called by WebchatChannel)

    void start(InboundSink sink) {
        this.sink = sink;
    }

    void stop() {
        this.sink = null;
        for (Live s : live.values()) {
            for (StreamSession c : s.connections) {
                c.close(1001, "server stopping");
            }
        }
    }

    // ------------------------------------------------------------------ HTTP

    /**
     * The largest request body this endpoint accepts on {@code path}; adapters stop reading past it and answer 413
     * through {@link #tooLarge(String)}.
     */
    public int maxRequestBytes(String path) {
        return path.equals(base + "/upload") ? limits.maxUploadBytes() : MAX_JSON_BODY;
    }

    /** The answer to a request whose body exceeded {@link #maxRequestBytes(String)}. */
    public WebhookResponse tooLarge(String path) {
        String code = path.equals(base + "/upload") ? "file_too_large" : "message_too_large";
        return response(413, error(code, "the request body is larger than " + maxRequestBytes(path) + " bytes")
                .put("limit", maxRequestBytes(path)), Optional.empty());
    }

    /**
     * The routes and streams a server mounts for this chat, all under its base path: the plain HTTP endpoints (uploads
     * with their own body limit), the WebSocket at {@code <base>/ws} and the Server-Sent Events fallback at
     * {@code <base>/events}.
     */
    HttpEndpoints endpoints() {
        HttpHandler http = new HttpHandler() {
            @Override
            public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
                return WebchatEndpoint.this.handle(request);
            }

            @Override
            public WebhookResponse tooLarge(String path, int limit) {
                return WebchatEndpoint.this.tooLarge(path);
            }
        };
        StreamHandler streams = new StreamHandler() {
            @Override
            public StreamListener open(StreamSession session) {
                return openStream(session);
            }

            @Override
            public Map<String, List<String>> responseHeaders(WebhookRequest request) {
                return corsHeaders(request.header("Origin"));
            }
        };
        return HttpEndpoints.builder()
                .route("*", base + "/upload", limits.maxUploadBytes(), http)
                .route("*", base + "/*", MAX_JSON_BODY, http)
                .stream(StreamRoute.webSocket(base + "/ws", MAX_FRAME_BYTES, streams))
                .stream(StreamRoute.serverSentEvents(base + "/events", streams))
                .build();
    }

    /**
     * Opens a visitor stream from its opening request: the visitor token in {@code token}, the last sequence number
     * the widget has in {@code after} or, for a reconnecting EventSource, in {@code Last-Event-ID}.
     */
    private StreamListener openStream(StreamSession session) {
        WebhookRequest r = session.request();
        OptionalLong after = parseSeq(r.queryParam("after"));
        if (session.transport() == StreamTransport.SERVER_SENT_EVENTS) {
            OptionalLong fromHeader = parseSeq(r.header("Last-Event-ID").map(String::trim));
            if (fromHeader.isPresent()) {
                after = fromHeader;
            }
        }
        return open(r.queryParam("token").orElse(""), after, r.remoteAddress().orElse("unknown"), session);
    }

    private static OptionalLong parseSeq(Optional<String> s) {
        if (s.isEmpty() || s.get().isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long v = Long.parseLong(s.get());
            return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Handles one plain HTTP request under the base path; never completes exceptionally. */
    public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
        Optional<String> origin = request.header("Origin");
        try {
            String path = request.path();
            String method = request.method();
            if (method.equals("OPTIONS")) {
                return done(corsPreflight(origin));
            }
            if (!originAllowed(origin)) {
                return done(response(403, error("origin_not_allowed", "this site may not use the chat"), origin));
            }
            if (method.equals("GET") && path.equals(base + "/widget.js")) {
                return done(new WebhookResponse(200, Map.of("Content-Type",
                        List.of("application/javascript; charset=utf-8"), "Cache-Control", List.of("max-age=300"),
                        "Access-Control-Allow-Origin", List.of("*")), widget));
            }
            if (method.equals("POST") && path.equals(base + "/session")) {
                return done(createSession(request, origin));
            }
            Optional<Live> session = authenticate(request);
            if (session.isEmpty()) {
                return done(response(401, error("invalid_token", "the visitor token is missing or not valid"),
                        origin));
            }
            Live s = session.get();
            if (method.equals("GET") && path.equals(base + "/history")) {
                return done(history(s, origin));
            }
            if (method.equals("POST") && path.equals(base + "/messages")) {
                JsonNode frame = parse(request.body());
                if (frame == null) {
                    return done(response(400, error("bad_request", "the body is not a JSON object"), origin));
                }
                return onFrame(s, frame, address(request)).thenApply(o -> response(o.status, o.body, origin));
            }
            if (method.equals("POST") && path.equals(base + "/upload")) {
                return done(upload(s, request, origin));
            }
            if (method.equals("GET") && path.startsWith(base + "/files/")) {
                return done(download(s, path.substring((base + "/files/").length()), origin));
            }
            return done(response(404, error("not_found", "no such webchat endpoint"), origin));
        } catch (RuntimeException e) {
            log.warn("webchat request {} {} failed", request.method(), request.path(), e);
            return done(response(500, error("internal", "the server could not handle the request"), origin));
        }
    }

    private WebhookResponse createSession(WebhookRequest request, Optional<String> origin) {
        JsonNode body = request.bodyLength() == 0 ? JSON.createObjectNode() : parse(request.body());
        if (body == null) {
            return response(400, error("bad_request", "the body is not a JSON object"), origin);
        }
        long retryMs = sessionsPerAddress.tryAcquire(address(request), addressLimits.sessionsPerHour());
        if (retryMs > 0) {
            return response(429, error("rate_limited", "too many chat sessions from this address; try again in "
                    + retryMs + " ms").put("retryAfterMs", retryMs).put("limit", addressLimits.sessionsPerHour()),
                    origin);
        }
        Instant now = channel.now();
        VisitorIdentification.Result who = identification.identify(body.path("user"), now, origin);
        List<Evidence> evidence = new ArrayList<>(who.evidence());
        identification.prechat(body, now, evidence);
        Optional<String> existing = who.userId().flatMap(store::sessionOfUser);
        String sessionId;
        if (existing.isPresent()) {
            sessionId = existing.get();
        } else {
            sessionId = "v-" + UUID.randomUUID();
            store.createSession(new VisitorSession(sessionId, now, origin, who.userId(),
                    who.name().or(() -> optionalText(body, "name", 100)), optionalText(body, "lang", 8), evidence));
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("sessionId", sessionId);
        out.put("token", tokens.issue(sessionId));
        out.put("verified", who.userId().isPresent());
        out.put("identity", who.userId().isPresent() ? "verified"
                : who.refusal().isPresent() ? "rejected" : "anonymous");
        out.put("online", online());
        who.refusal().ifPresent(r -> out.set("error", error(r.code(), r.message() + "; the visitor is treated as "
                + "anonymous")));
        return response(200, out, origin);
    }

    private static String address(WebhookRequest request) {
        return request.remoteAddress().orElse("unknown");
    }

    private WebhookResponse history(Live s, Optional<String> origin) {
        List<WebchatEvent> events;
        long last;
        synchronized (s) {
            events = store.history(s.id);
            last = store.lastSeq(s.id);
        }
        StringBuilder sb = new StringBuilder(64 + events.size() * 128);
        sb.append("{\"sessionId\":").append(quote(s.id)).append(",\"lastSeq\":").append(last)
                .append(",\"online\":").append(online()).append(",\"verified\":").append(s.session.verified())
                .append(",\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(events.get(i).json());
        }
        sb.append("]}");
        return new WebhookResponse(200, headers(origin), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private WebhookResponse upload(Live s, WebhookRequest request, Optional<String> origin) {
        byte[] bytes = request.body();
        if (bytes.length > limits.maxUploadBytes()) {
            return tooLarge(base + "/upload");
        }
        if (bytes.length == 0) {
            return response(400, error("bad_request", "empty upload"), origin);
        }
        WebchatFiles.Upload u = files.upload(s.id, address(request), request.queryParam("name").orElse("file"), bytes);
        if (u.file().isEmpty()) {
            return response(u.status(), error(u.code(), u.message()), origin);
        }
        return response(200, files.describe(u.file().get()), origin);
    }

    private WebhookResponse download(Live s, String fileId, Optional<String> origin) {
        return files.download(s.id, fileId, corsHeaders(origin))
                .orElseGet(() -> response(404, error("not_found", "no such file"), origin));
    }

    Optional<FetchedMedia> file(String fileId) {
        return files.fetch(fileId);
    }

    /** Deletes uploaded files older than the retention; returns how many were deleted. */
    int purgeExpiredFiles() {
        return files.purgeExpired();
    }

    // ------------------------------------------------------------------ streams

    /**
     * Attaches a visitor's stream. Sends {@code ready} (the session's last sequence number and presence), then the
     * events after {@code after} (or a {@code gap} frame when they left the replay window), then live events. A bad
     * token or too many connections from {@code remoteAddress} gets an {@code error} frame and a close.
     *
     * @param after the last sequence number the client has; empty for "live events only"
     */
    public VisitorStream open(String token, OptionalLong after, String remoteAddress, StreamSession connection) {
        Optional<Live> session = tokens.verify(token).flatMap(this::live);
        if (session.isEmpty()) {
            connection.send(0, error("invalid_token", "the visitor token is missing or not valid").toString());
            connection.close(1008, "invalid token");
            return VisitorStream.CLOSED;
        }
        // Count inside compute() so a concurrent close that removes the entry can never orphan our increment.
        int[] count = new int[1];
        connectionsPerIp.compute(remoteAddress, (k, v) -> {
            AtomicInteger c = v == null ? new AtomicInteger() : v;
            count[0] = c.incrementAndGet();
            return c;
        });
        if (count[0] > limits.connectionsPerIp()) {
            releaseConnectionSlot(remoteAddress);
            connection.send(0, error("too_many_connections", "at most " + limits.connectionsPerIp()
                    + " chat connections per address").put("limit", limits.connectionsPerIp()).toString());
            connection.close(1008, "too many connections");
            return VisitorStream.CLOSED;
        }
        Live s = session.get();
        synchronized (s) {
            long last = store.lastSeq(s.id);
            ObjectNode ready = JSON.createObjectNode();
            ready.put("type", "ready");
            ready.put("sessionId", s.id);
            ready.put("lastSeq", last);
            ready.put("online", online());
            ready.put("verified", s.session.verified());
            ready.putObject("limits").put("maxMessageBytes", limits.maxMessageBytes())
                    .put("maxUploadBytes", limits.maxUploadBytes())
                    .put("messagesPerMinute", limits.messagesPerMinute());
            connection.send(0, ready.toString());
            if (after.isPresent()) {
                WebchatLog.Replay replay = store.after(s.id, after.getAsLong());
                if (replay.gap()) {
                    connection.send(0, "{\"type\":\"gap\",\"lastSeq\":" + last + "}");
                } else {
                    for (WebchatEvent e : replay.events()) {
                        connection.send(e.seq(), e.json());
                    }
                }
            }
            s.connections.add(connection);
        }
        channel.listener().connected(s.id);
        return new VisitorStream(this, s, connection, remoteAddress);
    }

    /**
     * One attached visitor stream: the server passes each text frame the visitor sends to {@link #onFrame} and calls
     * {@link #onClose} once when the stream ends for any reason.
     */
    public static final class VisitorStream implements StreamListener {
        static final VisitorStream CLOSED = new VisitorStream(null, null, null, null);
        private final WebchatEndpoint endpoint;
        private final Live session;
        private final StreamSession connection;
        private final String remoteAddress;
        private final AtomicBoolean closed = new AtomicBoolean();

        VisitorStream(WebchatEndpoint endpoint, Live session, StreamSession connection, String remoteAddress) {
            this.endpoint = endpoint;
            this.session = session;
            this.connection = connection;
            this.remoteAddress = remoteAddress;
        }

        /** Whether the stream was refused (bad token, too many connections) and is being closed. */
        public boolean refused() {
            return endpoint == null;
        }

        /** Handles one frame the visitor sent over this stream. */
        @Override
        public void onFrame(String text) {
            if (endpoint == null || closed.get()) {
                return;
            }
            JsonNode frame = text.length() > MAX_FRAME_BYTES ? null : parse(text.getBytes(StandardCharsets.UTF_8));
            if (frame == null) {
                connection.send(0, error("bad_request", "a frame must be a JSON object of at most "
                        + MAX_FRAME_BYTES + " bytes").toString());
                return;
            }
            try {
                endpoint.onFrame(session, frame, remoteAddress);
            } catch (RuntimeException e) {
                log.warn("webchat: frame of session {} failed", session.id, e);
                connection.send(0, error("internal", "the server could not handle the frame").toString());
            }
        }

        /** The stream ended; idempotent. */
        @Override
        public void onClose() {
            if (endpoint == null || !closed.compareAndSet(false, true)) {
                return;
            }
            session.connections.remove(connection);
            endpoint.releaseConnectionSlot(remoteAddress);
            endpoint.channel.listener().disconnected(session.id);
        }
    }

    private void releaseConnectionSlot(String remoteAddress) {
        connectionsPerIp.computeIfPresent(remoteAddress, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    // ------------------------------------------------------------------ visitor frames

    private CompletionStage<Outcome> onFrame(Live s, JsonNode frame, String address) {
        String type = frame.path("type").asText("");
        switch (type) {
            case "message":
                return visitorMessage(s, frame, false, address);
            case "postback":
                return visitorMessage(s, frame, true, address);
            case "typing":
                channel.listener().typing(s.id, frame.path("on").asBoolean(true));
                return CompletableFuture.completedFuture(Outcome.OK);
            case "read":
                return visitorRead(s, frame);
            case "transcript":
                return transcript(s, frame);
            case "ping":
                transient_(s, "{\"type\":\"pong\"}");
                return CompletableFuture.completedFuture(Outcome.OK);
            default:
                return CompletableFuture.completedFuture(new Outcome(400,
                        error("bad_request", "unknown frame type '" + clip(type) + "'")));
        }
    }

    private CompletionStage<Outcome> visitorMessage(Live s, JsonNode frame, boolean postback, String address) {
        String clientId = frame.path("clientId").asText("");
        if (!CLIENT_ID.matcher(clientId).matches()) {
            return CompletableFuture.completedFuture(new Outcome(400, error("bad_request",
                    "clientId must be 1-64 characters of [A-Za-z0-9_.:-]")));
        }
        String text = postback ? frame.path("label").asText("") : frame.path("text").asText("");
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxMessageBytes()) {
            ObjectNode err = error("message_too_large", "the message has " + bytes + " bytes; at most "
                    + limits.maxMessageBytes() + " are allowed").put("limit", limits.maxMessageBytes());
            return CompletableFuture.completedFuture(new Outcome(413, publishError(s, clientId, err)));
        }
        String payload = frame.path("payload").asText("");
        if (postback && payload.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome(400, error("bad_request", "postback needs payload")));
        }
        List<WebchatFile> attachments = new ArrayList<>();
        JsonNode attached = frame.path("attachments");
        if (attached.size() > 10) {
            return CompletableFuture.completedFuture(new Outcome(400, error("bad_request",
                    "at most 10 attachments per message")));
        }
        for (JsonNode a : attached) {
            Optional<WebchatFile> f = files.ofSession(s.id, a.path("id").asText(""));
            if (f.isEmpty()) {
                return CompletableFuture.completedFuture(new Outcome(400,
                        publishError(s, clientId, error("bad_request", "unknown attachment"))));
            }
            attachments.add(f.get());
        }
        if (text.isBlank() && attachments.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome(400, error("bad_request", "empty message")));
        }
        Optional<String> email = optionalText(frame, "email", 254);
        if (email.isPresent() && !EMAIL.matcher(email.get()).matches()) {
            return CompletableFuture.completedFuture(new Outcome(400,
                    publishError(s, clientId, error("invalid_email", "the email address does not look valid"))));
        }
        String key = "c:" + clientId;
        CompletableFuture<WebchatEvent> stored;
        synchronized (s) {
            Optional<WebchatEvent> existing = store.find(s.id, key);
            if (existing.isPresent()) {
                return CompletableFuture.completedFuture(duplicateAck(s, clientId, existing.get()));
            }
            CompletableFuture<WebchatEvent> inFlight = s.inFlight.get(clientId);
            if (inFlight != null) {
                return inFlight.handle((e, err) -> err == null ? duplicateAck(s, clientId, e)
                        : new Outcome(503, error("not_stored", "the message could not be stored; send it again")));
            }
            long retryMs = s.rate.tryAcquire(limits.messagesPerMinute(), System.nanoTime());
            if (retryMs == 0) {
                retryMs = messagesPerAddress.tryAcquire(address, addressLimits.messagesPerMinute());
            }
            if (retryMs > 0) {
                ObjectNode err = error("rate_limited", "too many messages; try again in " + retryMs + " ms")
                        .put("retryAfterMs", retryMs).put("limit", limits.messagesPerMinute());
                return CompletableFuture.completedFuture(new Outcome(429, publishError(s, clientId, err)));
            }
            stored = new CompletableFuture<>();
            s.inFlight.put(clientId, stored);
        }
        InboundSink target = sink;
        Instant now = channel.now();
        CompletionStage<Void> delivery;
        if (target == null) {
            delivery = CompletableFuture.failedFuture(new IllegalStateException("channel not started"));
        } else {
            try {
                delivery = target.deliver(mapper.message(s.session, clientId, text, payload, postback, attachments, email,
                        now));
            } catch (RuntimeException e) {
                delivery = CompletableFuture.failedFuture(e);
            }
        }
        delivery.whenComplete((v, err) -> {
            if (err != null) {
                log.warn("webchat: message {} of session {} was not stored", clientId, s.id, err);
                synchronized (s) {
                    s.inFlight.remove(clientId);
                    publishError(s, clientId, error("not_stored", "the message could not be stored; it will be "
                            + "sent again").put("retryable", true));
                }
                stored.completeExceptionally(err);
                return;
            }
            channel.healthTracker().received();
            WebchatEvent event;
            synchronized (s) {
                event = publish(s, "message", Optional.of(key), seq -> {
                    ObjectNode n = event("message", seq);
                    n.put("from", "visitor");
                    n.put("id", visitorMessageId(s, clientId));
                    n.put("clientId", clientId);
                    n.put("text", text);
                    if (postback) {
                        n.put("postback", true);
                    }
                    email.ifPresent(e -> n.put("offline", true).put("email", e));
                    if (!attachments.isEmpty()) {
                        ArrayNode arr = n.putArray("attachments");
                        attachments.forEach(f -> arr.add(files.describe(f)));
                    }
                    n.put("at", now.toString());
                    return n.toString();
                });
                s.inFlight.remove(clientId);
            }
            stored.complete(event);
        });
        return stored.handle((e, err) -> {
            if (err != null) {
                return new Outcome(503, error("not_stored", "the message could not be stored; send it again")
                        .put("clientId", clientId).put("retryable", true));
            }
            ObjectNode ok = JSON.createObjectNode();
            ok.put("ok", true).put("seq", e.seq()).put("id", visitorMessageId(s, clientId)).put("clientId", clientId);
            return new Outcome(200, ok);
        });
    }

    private Outcome duplicateAck(Live s, String clientId, WebchatEvent original) {
        publish(s, "ack", Optional.empty(), seq -> event("ack", seq).put("clientId", clientId)
                .put("messageSeq", original.seq()).put("duplicate", true).toString());
        ObjectNode ok = JSON.createObjectNode();
        ok.put("ok", true).put("seq", original.seq()).put("id", visitorMessageId(s, clientId))
                .put("clientId", clientId).put("duplicate", true);
        return new Outcome(200, ok);
    }

    private CompletionStage<Outcome> visitorRead(Live s, JsonNode frame) {
        String id = frame.path("id").asText("");
        if (!id.startsWith(s.id + ":") || id.length() > 200) {
            return CompletableFuture.completedFuture(new Outcome(400, error("bad_request", "unknown message id")));
        }
        synchronized (s) {
            if (id.equals(s.lastReadByVisitor)) {
                return CompletableFuture.completedFuture(Outcome.OK);
            }
            s.lastReadByVisitor = id;
        }
        InboundSink target = sink;
        if (target == null) {
            return CompletableFuture.completedFuture(Outcome.OK);
        }
        Instant now = channel.now();
        return target.deliver(mapper.read(s.session, id, now))
                .handle((v, err) -> err == null ? Outcome.OK
                        : new Outcome(503, error("not_stored", "the read receipt could not be stored")));
    }

    private CompletionStage<Outcome> transcript(Live s, JsonNode frame) {
        String email = frame.path("email").asText("").trim();
        if (!EMAIL.matcher(email).matches()) {
            return CompletableFuture.completedFuture(new Outcome(400,
                    publishError(s, "transcript", error("invalid_email", "the email address does not look valid"))));
        }
        Optional<TranscriptSender> sender = channel.transcriptSender();
        if (sender.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome(501, publishError(s, "transcript",
                    error("transcript_unavailable", "this site does not send transcripts"))));
        }
        List<TranscriptSender.Line> lines = new ArrayList<>();
        for (WebchatEvent e : store.history(s.id)) {
            JsonNode n = parse(e.json().getBytes(StandardCharsets.UTF_8));
            if (n != null && e.type().equals("message")) {
                boolean agent = n.path("from").asText().equals("agent");
                String from = agent ? n.path("name").asText("Agent")
                        : s.session.displayName().orElse(lang(s).equals("ru") ? "Вы" : "You");
                String text = n.path("text").asText("");
                for (JsonNode a : n.path("attachments")) {
                    text += (text.isEmpty() ? "" : " ") + "[" + a.path("name").asText() + "]";
                }
                lines.add(new TranscriptSender.Line(Instant.parse(n.path("at").asText(channel.now().toString())),
                        from, text));
            }
        }
        CompletionStage<Void> sent;
        try {
            sent = sender.get().send(new TranscriptSender.Transcript(s.id, email, lang(s), lines));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((v, err) -> {
            if (err != null) {
                log.warn("webchat: transcript for session {} could not be sent", s.id, err);
                return new Outcome(502, publishError(s, "transcript",
                        error("transcript_failed", "the transcript could not be sent; try again later")));
            }
            publish(s, "transcript_sent", Optional.empty(),
                    seq -> event("transcript_sent", seq).put("email", email).toString());
            return Outcome.OK;
        });
    }

    private static String lang(Live s) {
        return s.session.language().filter(l -> l.equals("ru")).orElse("en");
    }

    // ------------------------------------------------------------------ agent side (called by WebchatChannel)

    CompletionStage<SendReceipt> send(OutboundMessage message, SendPolicy policy) {
        String sessionId = message.recipient().platformUserId();
        Optional<Live> session = live(sessionId);
        if (session.isEmpty()) {
            return failed(SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, "unknown_session",
                    "no webchat session " + sessionId));
        }
        Optional<SendFailure> refused = policy.check(message);
        if (refused.isPresent()) {
            return failed(refused.get());
        }
        Live s = session.get();
        String key = "o:" + message.idempotencyKey();
        Instant now = channel.now();
        try {
            WebchatEvent event;
            synchronized (s) {
                Optional<WebchatEvent> existing = store.find(s.id, key);
                event = existing.isPresent() ? existing.get()
                        : publish(s, "message", Optional.of(key), seq -> agentMessage(s, seq, message, now));
            }
            return CompletableFuture.completedFuture(new SendReceipt(agentMessageId(s.id, event.seq()), now));
        } catch (RuntimeException e) {
            log.warn("webchat: could not store an agent message for session {}", s.id, e);
            return failed(SendFailure.of(FailureKind.UNAVAILABLE, "log_unavailable",
                    "the webchat log could not store the message"));
        }
    }

    private String agentMessage(Live s, long seq, OutboundMessage m, Instant now) {
        ObjectNode n = event("message", seq);
        n.put("from", "agent");
        n.put("id", agentMessageId(s.id, seq));
        m.senderName().ifPresent(name -> n.put("name", name));
        Bubble b = m.bubble();
        if (b instanceof Bubble.TextBubble t) {
            n.put("text", t.plain());
            if (!t.buttons().isEmpty()) {
                ArrayNode arr = n.putArray("buttons");
                for (Choice c : t.buttons()) {
                    ObjectNode bn = arr.addObject().put("label", c.label());
                    if (c.action() instanceof Choice.Postback p) {
                        bn.put("payload", p.payload());
                    } else if (c.action() instanceof Choice.OpenLink l) {
                        bn.put("url", l.uri().toString());
                    }
                }
            }
        } else if (b instanceof Bubble.MediaBubble mb) {
            Media media = mb.media();
            ObjectNode mn = n.putObject("media");
            mn.put("kind", media.kind().name().toLowerCase(java.util.Locale.ROOT));
            mn.put("mime", media.mimeType());
            media.fileName().ifPresent(f -> mn.put("name", f));
            if (media.source() instanceof MediaSource.Url u) {
                mn.put("url", u.uri().toString());
            } else if (media.source() instanceof MediaSource.Inline in) {
                files.agentFile(s.id, media.fileName().orElse("file"), in.bytes())
                        .ifPresent(f -> mn.put("url", files.url(f)).put("mime", f.mimeType()));
            } else if (media.source() instanceof MediaSource.PlatformFile pf
                    && pf.channel().equals(channel.id())) {
                files.copyTo(s.id, pf.fileId()).ifPresent(f -> mn.put("url", files.url(f)).put("mime", f.mimeType()));
            }
            n.put("text", media.caption().map(Text::plainText).orElse(""));
        } else {
            n.put("text", b.plain());
        }
        n.put("at", now.toString());
        return n.toString();
    }

    void agentTyping(String sessionId, boolean typing, Optional<String> agentName) {
        live(sessionId).ifPresent(s -> {
            ObjectNode n = JSON.createObjectNode().put("type", "typing").put("from", "agent").put("on", typing);
            agentName.ifPresent(a -> n.put("name", a));
            transient_(s, n.toString());
        });
    }

    void markReadByAgent(String sessionId) {
        live(sessionId).ifPresent(s -> {
            synchronized (s) {
                long upTo = store.lastSeq(s.id);
                if (upTo > s.lastReadByAgent) {
                    s.lastReadByAgent = upTo;
                    publish(s, "read", Optional.empty(),
                            seq -> event("read", seq).put("by", "agent").put("upTo", upTo).toString());
                }
            }
        });
    }

    void setAgentsOnline(boolean online) {
        this.agentsOnline = online;
        refreshPresence();
    }

    /** Broadcasts presence when it changed (agents came or went, business hours opened or closed). */
    void refreshPresence() {
        boolean now = online();
        if (now == lastPresence) {
            return;
        }
        lastPresence = now;
        String frame = "{\"type\":\"presence\",\"online\":" + now + "}";
        for (Live s : live.values()) {
            transient_(s, frame);
        }
    }

    boolean online() {
        return agentsOnline && channel.businessHours().isOpen(channel.now());
    }

    int connectedStreams() {
        int n = 0;
        for (Live s : live.values()) {
            n += s.connections.size();
        }
        return n;
    }

    /** Closes every stream of {@code sessionId} (tests and hosts simulating a network drop, or ending a session). */
    void disconnect(String sessionId) {
        live(sessionId).ifPresent(s -> {
            for (StreamSession c : s.connections) {
                c.close(1001, "disconnected by the server");
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    private Optional<Live> live(String sessionId) {
        Live existing = live.get(sessionId);
        if (existing != null) {
            return Optional.of(existing);
        }
        return store.session(sessionId).map(vs -> live.computeIfAbsent(sessionId, k -> new Live(vs)));
    }

    private Optional<Live> authenticate(WebhookRequest request) {
        Optional<String> token = request.queryParam("token")
                .or(() -> request.header("Authorization").filter(h -> h.startsWith("Bearer "))
                        .map(h -> h.substring(7).trim()));
        return token.flatMap(tokens::verify).flatMap(this::live);
    }

    private WebchatEvent publish(Live s, String type, Optional<String> key, java.util.function.LongFunction<String> r) {
        synchronized (s) {
            WebchatEvent e = store.append(s.id, type, key, r);
            for (StreamSession c : s.connections) {
                c.send(e.seq(), e.json());
            }
            return e;
        }
    }

    private ObjectNode publishError(Live s, String clientId, ObjectNode error) {
        error.put("clientId", clientId);
        publish(s, "error", Optional.empty(), seq -> {
            ObjectNode n = JSON.createObjectNode();
            n.put("seq", seq);
            n.setAll(error);
            return n.toString();
        });
        return error;
    }

    private void transient_(Live s, String frame) {
        synchronized (s) {
            for (StreamSession c : s.connections) {
                c.send(0, frame);
            }
        }
    }

    static String agentMessageId(String sessionId, long seq) {
        return sessionId + ":" + seq;
    }

    private static String visitorMessageId(Live s, String clientId) {
        return WebchatInboundMapper.visitorMessageId(s.id, clientId);
    }

    private static ObjectNode event(String type, long seq) {
        ObjectNode n = JSON.createObjectNode();
        n.put("seq", seq);
        n.put("type", type);
        return n;
    }

    static ObjectNode error(String code, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "error");
        n.put("code", code);
        n.put("message", message);
        return n;
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    static Optional<String> optionalText(JsonNode n, String field, int max) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            return Optional.empty();
        }
        String s = v.asText().strip();
        return Optional.of(s.length() > max ? s.substring(0, max) : s);
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) : s;
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a page from {@code origin} may use the chat (always, when no allowed origins are configured). */
    public boolean originAllowed(Optional<String> origin) {
        Set<String> allowed = channel.allowedOrigins();
        return allowed.isEmpty() || origin.isEmpty() || allowed.contains(origin.get());
    }

    private Map<String, List<String>> headers(Optional<String> origin) {
        Map<String, List<String>> h = corsHeaders(origin);
        h.put("Content-Type", List.of("application/json; charset=utf-8"));
        h.put("Cache-Control", List.of("no-store"));
        h.put("X-Content-Type-Options", List.of("nosniff"));
        return h;
    }

    private Map<String, List<String>> corsHeaders(Optional<String> origin) {
        Map<String, List<String>> h = new HashMap<>();
        origin.filter(o -> originAllowed(origin)).ifPresent(o -> {
            h.put("Access-Control-Allow-Origin", List.of(o));
            h.put("Vary", List.of("Origin"));
        });
        return h;
    }

    private WebhookResponse corsPreflight(Optional<String> origin) {
        // No Content-Type: a 204 has no body (a fuzzing run found the JSON type on the empty preflight answer).
        Map<String, List<String>> h = corsHeaders(origin);
        h.put("Access-Control-Allow-Methods", List.of("GET, POST, OPTIONS"));
        h.put("Access-Control-Allow-Headers", List.of("Content-Type, Authorization, Last-Event-ID"));
        h.put("Access-Control-Max-Age", List.of("600"));
        return new WebhookResponse(204, h, new byte[0]);
    }

    private WebhookResponse response(int status, ObjectNode body, Optional<String> origin) {
        return new WebhookResponse(status, headers(origin), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static <T> CompletionStage<T> failed(SendFailure failure) {
        return CompletableFuture.failedFuture(new ChannelException(failure));
    }

    private static byte[] loadWidget() {
        try (InputStream in = WebchatEndpoint.class.getResourceAsStream("widget.js")) {
            if (in == null) {
                throw new IllegalStateException("widget.js is missing from the channel-webchat jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read widget.js", e);
        }
    }

    @Override
    public String toString() {
        return "WebchatEndpoint[" + channel.id() + ", " + live.size() + " sessions]";
    }

    private record Outcome(int status, ObjectNode body) {
        static final Outcome OK = new Outcome(200, JSON.createObjectNode().put("ok", true));
    }

    /** A session's live state on this node: its open streams, rate window and messages being stored. */
    static final class Live {
        final String id;
        final VisitorSession session;
        final List<StreamSession> connections = new CopyOnWriteArrayList<>();
        final VisitorRateLimiter rate = new VisitorRateLimiter();
        final Map<String, CompletableFuture<WebchatEvent>> inFlight = new HashMap<>();
        String lastReadByVisitor = "";
        long lastReadByAgent;

        Live(VisitorSession session) {
            this.id = session.id();
            this.session = session;
        }
    }
}
