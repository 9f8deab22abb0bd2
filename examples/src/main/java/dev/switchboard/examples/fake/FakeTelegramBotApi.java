package dev.switchboard.examples.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * An in-process stand-in for the Telegram Bot API, for the demo's offline mode and for tests: a small HTTP server on
 * localhost that speaks the documented wire format ({@code /bot<token>/<method>}, {@code {"ok":true,"result":...}}
 * envelopes, {@code {"ok":false,"error_code":..,"description":..}} errors). It answers {@code getMe},
 * {@code getUpdates} (long polling with offset confirmation), {@code setWebhook}/{@code deleteWebhook} (and then
 * POSTs updates to the webhook with the secret token header), {@code sendMessage} and the other {@code send*}
 * methods, {@code answerCallbackQuery}, {@code getFile} and file downloads. The real {@code TelegramChannel} is
 * pointed at {@link #baseUrl()}; the simulator plays users by {@link #postUpdate queueing updates}; everything the
 * bot sent is {@link #requests() recorded} so tests and the console can see what reached "Telegram".
 */
public final class FakeTelegramBotApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FakeTelegramBotApi.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_LONG_POLL_SECONDS = 50;

    /** One Bot API call the bot made, with its parameters decoded from query, form or JSON body. */
    public record BotApiCall(String method, ObjectNode params, Instant at, Optional<Long> resultMessageId) {
        public BotApiCall {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(params, "params");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(resultMessageId, "resultMessageId");
        }

        /** A parameter as text ("" when absent); JSON-valued parameters are returned as JSON text. */
        public String param(String name) {
            JsonNode n = params.get(name);
            if (n == null || n.isNull()) {
                return "";
            }
            return n.isValueNode() ? n.asText() : n.toString();
        }

        /** {@code reply_markup}, parsed whether it was sent as an object or as a JSON string. */
        public Optional<JsonNode> replyMarkup() {
            JsonNode n = params.get("reply_markup");
            if (n == null || n.isNull()) {
                return Optional.empty();
            }
            if (n.isTextual()) {
                try {
                    return Optional.of(MAPPER.readTree(n.asText()));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
            return Optional.of(n);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String token;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;
    private final HttpClient webhookClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition updatesArrived = lock.newCondition();
    private final List<ObjectNode> pendingUpdates = new ArrayList<>();
    private final List<BotApiCall> calls = new CopyOnWriteArrayList<>();
    private final List<Consumer<BotApiCall>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final AtomicLong nextUpdateId = new AtomicLong(700_000_000L);
    private final AtomicLong nextMessageId = new AtomicLong(1);
    private final AtomicLong nextFileId = new AtomicLong(1);
    private Optional<String> webhookUrl = Optional.empty();
    private Optional<String> webhookSecret = Optional.empty();
    private volatile boolean closed;

    private FakeTelegramBotApi(String token, Clock clock) throws IOException {
        this.token = Objects.requireNonNull(token, "token");
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Long polls park a thread each; a handful is plenty for one bot plus the simulator.
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "fake-telegram");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts a fake bound to a free loopback port, accepting only {@code token}. */
    public static FakeTelegramBotApi start(String token) throws IOException {
        return start(token, Clock.systemUTC());
    }

    public static FakeTelegramBotApi start(String token, Clock clock) throws IOException {
        FakeTelegramBotApi fake = new FakeTelegramBotApi(token, clock);
        fake.server.start();
        log.info("Fake Telegram Bot API listening on {}", fake.baseUrl());
        return fake;
    }

    /** The API root to configure the channel with, e.g. {@code http://127.0.0.1:41234} (requests go to /bot&lt;token&gt;/...). */
    public String baseUrl() {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    // ---- the simulator's side: users doing things in their Telegram app -----------------------------------------

    /** Queues an update exactly as Telegram would deliver it; assigns and returns its {@code update_id}. */
    public long postUpdate(ObjectNode updateWithoutId) {
        ObjectNode update = updateWithoutId.deepCopy();
        // increasing but not contiguous, like the real thing: consumers must not assume +1
        long id = nextUpdateId.addAndGet(1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(3));
        ObjectNode ordered = JSON.objectNode();
        ordered.put("update_id", id);
        ordered.setAll(update);
        lock.lock();
        try {
            pendingUpdates.add(ordered);
            updatesArrived.signalAll();
        } finally {
            lock.unlock();
        }
        pushToWebhookIfSet();
        return id;
    }

    /** Re-queues an update the bot already confirmed, as Telegram does when it never saw the confirmation. */
    public void redeliver(ObjectNode update) {
        lock.lock();
        try {
            pendingUpdates.add(0, update.deepCopy());
            updatesArrived.signalAll();
        } finally {
            lock.unlock();
        }
        pushToWebhookIfSet();
    }

    /** The next message id in the chat (users' messages and the bot's share one counter, as in a private chat). */
    public long nextMessageId() {
        return nextMessageId.getAndIncrement();
    }

    /** Stores a file users can "send", returning its {@code file_id} for a photo or document update. */
    public String registerFile(byte[] bytes) {
        String id = "DEMOFILE" + nextFileId.getAndIncrement();
        synchronized (files) {
            files.put(id, bytes.clone());
        }
        return id;
    }

    // ---- what the bot did ---------------------------------------------------------------------------------------

    /** Every Bot API call the bot made except polling, in order. */
    public List<BotApiCall> requests() {
        return List.copyOf(calls);
    }

    /** The bot's calls of one method, e.g. {@code sendMessage}. */
    public List<BotApiCall> requests(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    /** Called for every recorded call, on the fake's server thread. */
    public void onCall(Consumer<BotApiCall> listener) {
        listeners.add(listener);
    }

    /** Updates queued and not yet confirmed by the bot. */
    public int pendingUpdateCount() {
        lock.lock();
        try {
            return pendingUpdates.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lock.lock();
        try {
            updatesArrived.signalAll();
        } finally {
            lock.unlock();
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "FakeTelegramBotApi[" + baseUrl() + "]";
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/file/bot")) {
                serveFile(ex, path.substring("/file/bot".length()));
                return;
            }
            if (!path.startsWith("/bot")) {
                reply(ex, 404, error(404, "Not Found"));
                return;
            }
            String rest = path.substring(4);
            int slash = rest.indexOf('/');
            if (slash < 0) {
                reply(ex, 404, error(404, "Not Found"));
                return;
            }
            String givenToken = URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
            String method = rest.substring(slash + 1);
            if (!givenToken.equals(token)) {
                reply(ex, 401, error(401, "Unauthorized"));
                return;
            }
            ObjectNode params;
            try {
                params = readParams(ex);
            } catch (IllegalArgumentException | IOException e) {
                reply(ex, 400, error(400, "Bad Request: " + e.getMessage()));
                return;
            }
            dispatch(ex, method, params);
        } catch (RuntimeException e) {
            log.warn("fake Telegram failed on {}", ex.getRequestURI().getPath(), e);
        }
    }

    private void dispatch(HttpExchange ex, String method, ObjectNode params) throws IOException {
        // Method names are case-insensitive in the Bot API.
        String m = method.toLowerCase(java.util.Locale.ROOT);
        switch (m) {
            case "getme" -> reply(ex, 200, ok(botUser()));
            case "getupdates" -> getUpdates(ex, params);
            case "setwebhook" -> {
                record(method, params, Optional.empty());
                lock.lock();
                try {
                    String url = params.path("url").asText("");
                    webhookUrl = url.isEmpty() ? Optional.empty() : Optional.of(url);
                    String secret = params.path("secret_token").asText("");
                    webhookSecret = secret.isEmpty() ? Optional.empty() : Optional.of(secret);
                    if (params.path("drop_pending_updates").asBoolean(false)) {
                        pendingUpdates.clear();
                    }
                } finally {
                    lock.unlock();
                }
                reply(ex, 200, ok(JSON.booleanNode(true)).put("description",
                        webhookUrl.isPresent() ? "Webhook was set" : "Webhook was deleted"));
                pushToWebhookIfSet();
            }
            case "deletewebhook" -> {
                record(method, params, Optional.empty());
                lock.lock();
                try {
                    webhookUrl = Optional.empty();
                    webhookSecret = Optional.empty();
                    if (params.path("drop_pending_updates").asBoolean(false)) {
                        pendingUpdates.clear();
                    }
                } finally {
                    lock.unlock();
                }
                reply(ex, 200, ok(JSON.booleanNode(true)).put("description", "Webhook was deleted"));
            }
            case "getwebhookinfo" -> {
                ObjectNode info = JSON.objectNode();
                info.put("url", webhookUrl.orElse(""));
                info.put("has_custom_certificate", false);
                info.put("pending_update_count", pendingUpdateCount());
                reply(ex, 200, ok(info));
            }
            case "answercallbackquery" -> {
                if (params.path("callback_query_id").asText("").isEmpty()) {
                    reply(ex, 400, error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid"));
                    return;
                }
                record(method, params, Optional.empty());
                reply(ex, 200, ok(JSON.booleanNode(true)));
            }
            case "getfile" -> getFile(ex, params);
            case "sendmessage" -> {
                String text = params.path("text").asText("");
                if (text.isEmpty()) {
                    reply(ex, 400, error(400, "Bad Request: message text is empty"));
                    return;
                }
                if (text.length() > 4096) {
                    reply(ex, 400, error(400, "Bad Request: message is too long"));
                    return;
                }
                sendSomething(ex, method, params);
            }
            case "sendchataction" -> {
                record(method, params, Optional.empty());
                reply(ex, 200, ok(JSON.booleanNode(true)));
            }
            default -> {
                if (m.startsWith("send") || m.startsWith("edit") || m.equals("copymessage") || m.equals("forwardmessage")) {
                    sendSomething(ex, method, params);
                } else if (m.startsWith("delete") || m.startsWith("set")) {
                    record(method, params, Optional.empty());
                    reply(ex, 200, ok(JSON.booleanNode(true)));
                } else {
                    reply(ex, 404, error(404, "Not Found: method not found"));
                }
            }
        }
    }

    private void sendSomething(HttpExchange ex, String method, ObjectNode params) throws IOException {
        String chatId = params.path("chat_id").asText("");
        if (chatId.isEmpty()) {
            reply(ex, 400, error(400, "Bad Request: chat not found"));
            return;
        }
        long messageId = nextMessageId();
        ObjectNode message = JSON.objectNode();
        message.put("message_id", messageId);
        message.set("from", botUser());
        ObjectNode chat = JSON.objectNode();
        try {
            chat.put("id", Long.parseLong(chatId));
        } catch (NumberFormatException e) {
            chat.put("id", chatId);
        }
        chat.put("type", "private");
        message.set("chat", chat);
        message.put("date", clock.instant().getEpochSecond());
        if (params.has("text")) {
            message.put("text", params.path("text").asText());
        }
        record(method, params, Optional.of(messageId));
        reply(ex, 200, ok(message));
    }

    private void getUpdates(HttpExchange ex, ObjectNode params) throws IOException {
        long offset = params.path("offset").asLong(0);
        int limit = Math.max(1, Math.min(100, params.path("limit").asInt(100)));
        int timeout = Math.max(0, Math.min(MAX_LONG_POLL_SECONDS, params.path("timeout").asInt(0)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
        ArrayNode result = JSON.arrayNode();
        lock.lock();
        try {
            if (webhookUrl.isPresent()) {
                reply(ex, 409, error(409,
                        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"));
                return;
            }
            // A call with an offset confirms every update below it.
            if (offset != 0) {
                pendingUpdates.removeIf(u -> u.path("update_id").asLong() < offset);
            }
            while (!closed) {
                for (ObjectNode u : pendingUpdates) {
                    if (result.size() >= limit) {
                        break;
                    }
                    result.add(u);
                }
                long left = deadline - System.nanoTime();
                if (!result.isEmpty() || left <= 0) {
                    break;
                }
                try {
                    updatesArrived.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        reply(ex, 200, ok(result));
    }

    private void getFile(HttpExchange ex, ObjectNode params) throws IOException {
        String fileId = params.path("file_id").asText("");
        byte[] bytes;
        synchronized (files) {
            bytes = files.get(fileId);
        }
        if (bytes == null) {
            reply(ex, 400, error(400, "Bad Request: invalid file_id"));
            return;
        }
        record("getFile", params, Optional.empty());
        ObjectNode file = JSON.objectNode();
        file.put("file_id", fileId);
        file.put("file_unique_id", "U" + fileId);
        file.put("file_size", bytes.length);
        file.put("file_path", "documents/" + fileId);
        reply(ex, 200, ok(file));
    }

    private void serveFile(HttpExchange ex, String tokenAndPath) throws IOException {
        int slash = tokenAndPath.indexOf('/');
        if (slash < 0 || !tokenAndPath.substring(0, slash).equals(token)) {
            reply(ex, 404, error(404, "Not Found"));
            return;
        }
        String filePath = tokenAndPath.substring(slash + 1);
        String fileId = filePath.substring(filePath.lastIndexOf('/') + 1);
        byte[] bytes;
        synchronized (files) {
            bytes = files.get(fileId);
        }
        if (bytes == null) {
            reply(ex, 404, error(404, "Not Found"));
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void pushToWebhookIfSet() {
        Optional<String> url;
        Optional<String> secret;
        List<ObjectNode> batch;
        lock.lock();
        try {
            url = webhookUrl;
            secret = webhookSecret;
            batch = url.isPresent() ? List.copyOf(pendingUpdates) : List.of();
        } finally {
            lock.unlock();
        }
        if (url.isEmpty() || closed) {
            return;
        }
        executor.execute(() -> {
            for (ObjectNode update : batch) {
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url.get()))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(update.toString()));
                secret.ifPresent(s -> req.header("X-Telegram-Bot-Api-Secret-Token", s));
                try {
                    HttpResponse<Void> res = webhookClient.send(req.build(), HttpResponse.BodyHandlers.discarding());
                    if (res.statusCode() / 100 == 2) {
                        lock.lock();
                        try {
                            pendingUpdates.removeIf(u -> u.path("update_id").asLong() == update.path("update_id").asLong());
                        } finally {
                            lock.unlock();
                        }
                    } else {
                        log.info("webhook answered {} for update {}; it stays pending", res.statusCode(),
                                update.path("update_id").asLong());
                    }
                } catch (IOException e) {
                    log.info("webhook unreachable for update {}: {}", update.path("update_id").asLong(), e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    private void record(String method, ObjectNode params, Optional<Long> messageId) {
        BotApiCall call = new BotApiCall(method, params, clock.instant(), messageId);
        calls.add(call);
        for (Consumer<BotApiCall> l : listeners) {
            try {
                l.accept(call);
            } catch (RuntimeException e) {
                log.warn("fake Telegram listener failed", e);
            }
        }
    }

    private static ObjectNode readParams(HttpExchange ex) throws IOException {
        ObjectNode params = JSON.objectNode();
        String rawQuery = ex.getRequestURI().getRawQuery();
        if (rawQuery != null) {
            parseForm(rawQuery, params);
        }
        if (!"POST".equalsIgnoreCase(ex.getRequestMethod())) {
            return params;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(60 * 1024 * 1024);
        }
        if (body.length == 0) {
            return params;
        }
        String contentType = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("")
                .toLowerCase(java.util.Locale.ROOT);
        if (contentType.startsWith("application/json")) {
            JsonNode json = MAPPER.readTree(body);
            if (!(json instanceof ObjectNode obj)) {
                throw new IllegalArgumentException("JSON body must be an object");
            }
            params.setAll(obj);
        } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
            parseForm(new String(body, StandardCharsets.UTF_8), params);
        } else if (contentType.startsWith("multipart/form-data")) {
            MultipartForm.parse(contentType, body).forEach(params::put);
        } else {
            throw new IllegalArgumentException("unsupported content type " + contentType);
        }
        return params;
    }

    private static void parseForm(String form, ObjectNode into) {
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            into.put(k, v);
        }
    }

    private ObjectNode botUser() {
        ObjectNode u = JSON.objectNode();
        u.put("id", 7_000_000_001L);
        u.put("is_bot", true);
        u.put("first_name", "Demo Shop");
        u.put("username", "demo_shop_bot");
        return u;
    }

    private static ObjectNode ok(JsonNode result) {
        ObjectNode o = JSON.objectNode();
        o.put("ok", true);
        o.set("result", result);
        return o;
    }

    private static ObjectNode error(int code, String description) {
        ObjectNode o = JSON.objectNode();
        o.put("ok", false);
        o.put("error_code", code);
        o.put("description", description);
        return o;
    }

    private static void reply(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
