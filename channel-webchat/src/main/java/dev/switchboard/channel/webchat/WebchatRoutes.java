package dev.switchboard.channel.webchat;

import static dev.switchboard.channel.webchat.WebchatJson.JSON;
import static dev.switchboard.channel.webchat.WebchatJson.done;
import static dev.switchboard.channel.webchat.WebchatJson.error;
import static dev.switchboard.channel.webchat.WebchatJson.failed;
import static dev.switchboard.channel.webchat.WebchatJson.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.HttpEndpoints;
import dev.switchboard.channel.HttpHandler;
import dev.switchboard.channel.StreamHandler;
import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat's plain HTTP endpoints under its base path and what it declares to servers: CORS preflight and the
 * allowed-origins check first, then the widget script, session creation, and for a valid visitor token the history,
 * messages (the Server-Sent Events fallback's way in), uploads and files; uploads have their own body limit.
 */
final class WebchatRoutes {
    private static final Logger log = LoggerFactory.getLogger(WebchatRoutes.class);
    private static final int MAX_JSON_BODY = 64 * 1024;

    private final String base;
    private final WebchatLimits limits;
    private final WebchatCors cors;
    private final WidgetScript widget = new WidgetScript();
    private final VisitorSessions sessions;
    private final VisitorFrames frames;
    private final WebchatFiles files;
    private final Presence presence;

    WebchatRoutes(String base, WebchatLimits limits, WebchatCors cors, VisitorSessions sessions, VisitorFrames frames,
                  WebchatFiles files, Presence presence) {
        this.base = base;
        this.limits = limits;
        this.cors = cors;
        this.sessions = sessions;
        this.frames = frames;
        this.files = files;
        this.presence = presence;
    }

    /**
     * The largest request body this endpoint accepts on {@code path}; adapters stop reading past it and answer 413
     * through {@link #tooLarge(String)}.
     */
    int maxRequestBytes(String path) {
        return path.equals(base + "/upload") ? limits.maxUploadBytes() : MAX_JSON_BODY;
    }

    /** The answer to a request whose body exceeded {@link #maxRequestBytes(String)}. */
    WebhookResponse tooLarge(String path) {
        String code = path.equals(base + "/upload") ? "file_too_large" : "message_too_large";
        return cors.response(413, error(code, "the request body is larger than " + maxRequestBytes(path) + " bytes")
                .put("limit", maxRequestBytes(path)), Optional.empty());
    }

    /**
     * The routes and streams a server mounts for this chat, all under its base path: the plain HTTP endpoints (uploads
     * with their own body limit), the WebSocket at {@code <base>/ws} and the Server-Sent Events fallback at
     * {@code <base>/events}.
     */
    HttpEndpoints endpoints(VisitorStreams visitorStreams) {
        HttpHandler http = new HttpHandler() {
            @Override
            public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
                return WebchatRoutes.this.handle(request);
            }

            @Override
            public WebhookResponse tooLarge(String path, int limit) {
                return WebchatRoutes.this.tooLarge(path);
            }
        };
        StreamHandler streams = new StreamHandler() {
            @Override
            public StreamListener open(StreamSession session) {
                return visitorStreams.openStream(session);
            }

            @Override
            public Map<String, List<String>> responseHeaders(WebhookRequest request) {
                return cors.corsHeaders(request.header("Origin"));
            }
        };
        return HttpEndpoints.builder()
                .route("*", base + "/upload", limits.maxUploadBytes(), http)
                .route("*", base + "/*", MAX_JSON_BODY, http)
                .stream(StreamRoute.webSocket(base + "/ws", VisitorStreams.MAX_FRAME_BYTES, streams))
                .stream(StreamRoute.serverSentEvents(base + "/events", streams))
                .build();
    }

    /** Handles one plain HTTP request under the base path; never completes exceptionally. */
    CompletionStage<WebhookResponse> handle(WebhookRequest request) {
        Optional<String> origin = request.header("Origin");
        try {
            String path = request.path();
            String method = request.method();
            if (method.equals("OPTIONS")) {
                return done(cors.corsPreflight(origin));
            }
            if (!cors.originAllowed(origin)) {
                return done(cors.response(403, error("origin_not_allowed", "this site may not use the chat"), origin));
            }
            if (method.equals("GET") && path.equals(base + "/widget.js")) {
                return done(widget.response());
            }
            if (method.equals("POST") && path.equals(base + "/session")) {
                return done(sessions.createSession(request, origin));
            }
            Optional<LiveSession> session = sessions.authenticate(request);
            if (session.isEmpty()) {
                return done(cors.response(401, error("invalid_token", "the visitor token is missing or not valid"),
                        origin));
            }
            LiveSession s = session.get();
            if (method.equals("GET") && path.equals(base + "/history")) {
                return done(history(s, origin));
            }
            if (method.equals("POST") && path.equals(base + "/messages")) {
                JsonNode frame = parse(request.body());
                if (frame == null) {
                    return done(cors.response(400, error("bad_request", "the body is not a JSON object"), origin));
                }
                return frames.onFrame(s, frame, VisitorSessions.address(request)).thenApply(o -> cors.response(o.status(), o.body(), origin));
            }
            if (method.equals("POST") && path.equals(base + "/upload")) {
                return done(upload(s, request, origin));
            }
            if (method.equals("GET") && path.startsWith(base + "/files/")) {
                return done(download(s, path.substring((base + "/files/").length()), origin));
            }
            return done(cors.response(404, error("not_found", "no such webchat endpoint"), origin));
        } catch (RuntimeException e) {
            log.warn("webchat request {} {} failed", request.method(), request.path(), e);
            return done(cors.response(500, error("internal", "the server could not handle the request"), origin));
        }
    }

    private WebhookResponse history(LiveSession s, Optional<String> origin) {
        List<WebchatEvent> events;
        long last;
        synchronized (s) {
            events = sessions.log().history(s.id);
            last = sessions.log().lastSeq(s.id);
        }
        StringBuilder sb = new StringBuilder(64 + events.size() * 128);
        sb.append("{\"sessionId\":").append(WebchatJson.quote(s.id)).append(",\"lastSeq\":").append(last)
                .append(",\"online\":").append(presence.online()).append(",\"verified\":").append(s.session.verified())
                .append(",\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(events.get(i).json());
        }
        sb.append("]}");
        return new WebhookResponse(200, cors.headers(origin), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private WebhookResponse upload(LiveSession s, WebhookRequest request, Optional<String> origin) {
        byte[] bytes = request.body();
        if (bytes.length > limits.maxUploadBytes()) {
            return tooLarge(base + "/upload");
        }
        if (bytes.length == 0) {
            return cors.response(400, error("bad_request", "empty upload"), origin);
        }
        WebchatFiles.Upload u = files.upload(s.id, VisitorSessions.address(request), request.queryParam("name").orElse("file"), bytes);
        if (u.file().isEmpty()) {
            return cors.response(u.status(), error(u.code(), u.message()), origin);
        }
        return cors.response(200, files.describe(u.file().get()), origin);
    }

    private WebhookResponse download(LiveSession s, String fileId, Optional<String> origin) {
        return files.download(s.id, fileId, cors.corsHeaders(origin))
                .orElseGet(() -> cors.response(404, error("not_found", "no such file"), origin));
    }
}
