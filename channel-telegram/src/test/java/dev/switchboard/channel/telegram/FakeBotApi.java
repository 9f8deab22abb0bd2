package dev.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.testkit.PlatformFake;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * A fake Telegram Bot API on MockWebServer that speaks the documented wire format: {@code /bot<token>/<method>} with
 * JSON or multipart bodies, the {@code {"ok":...}} envelope, getUpdates with offset confirmation and long polling,
 * getMe (401 for a wrong token, 404 for one it cannot parse, as the Bot API), setWebhook/deleteWebhook/getWebhookInfo
 * (409 conflicts while a webhook is set), the send methods with per-chat message ids, HTML
 * parse-mode validation ("can't parse entities", "message is too long"), answerCallbackQuery, getFile and file
 * downloads, and scripted errors (429 with retry_after and Retry-After, 500, 403 blocked, 400 chat not found,
 * migrate_to_chat_id, 409). Implements {@link PlatformFake} for the compatibility kit.
 */
final class FakeBotApi implements PlatformFake {
    static final String TOKEN = "123456789:AAHfakeTokenForTestsOnly_0123456789abc";
    static final String KNOWN_RECIPIENT = "424242001";
    private static final Pattern PATH = Pattern.compile("/bot([^/]+)/([A-Za-z]+)");
    private static final Pattern FILE_PATH = Pattern.compile("/file/bot([^/]+)/(.+)");
    private static final Set<String> SEND_METHODS = Set.of("sendMessage", "sendPhoto", "sendDocument", "sendVideo",
            "sendAudio", "sendVoice", "sendSticker", "sendLocation", "sendVenue", "sendContact");
    private static final Set<String> HTML_TAGS = Set.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del",
            "code", "pre", "a", "tg-spoiler", "span", "blockquote", "tg-emoji");

    /** One call the fake received: method, parameters (multipart fields as strings), uploaded file if any. */
    record ApiCall(String method, ObjectNode params, Optional<UploadedFile> file) {
    }

    record UploadedFile(String field, String fileName, String contentType, byte[] bytes) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final MockWebServer server = new MockWebServer();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition updatesArrived = lock.newCondition();
    private final TreeMap<Long, String> pending = new TreeMap<>();
    private final Map<Long, String> allUpdates = new HashMap<>();
    private final Deque<String> redelivered = new ArrayDeque<>();
    private final Deque<MockResponse> scriptedSendFailures = new ArrayDeque<>();
    private final Deque<MockResponse> scriptedPollFailures = new ArrayDeque<>();
    private final List<SentMessage> sent = new CopyOnWriteArrayList<>();
    private final List<ApiCall> calls = new CopyOnWriteArrayList<>();
    private final Map<Long, Long> messageCounters = new HashMap<>();
    private final Set<Long> blockedChats = new HashSet<>();
    private final Set<Long> missingChats = new HashSet<>();
    private final Map<Long, Long> migratedChats = new HashMap<>();
    private final Map<String, String> filePaths = new HashMap<>();
    private final Map<String, byte[]> fileContents = new HashMap<>();
    private final Duration maxLongPoll;
    private long nextUpdateId = 732_000_000L;
    private int pollCalls;
    private int openPolls;
    private int maxOpenPolls;
    private volatile boolean webhookSet;
    private volatile String webhookUrl = "";
    private volatile boolean closed;
    private volatile WebhookHandler webhook;
    private volatile String webhookSecret;

    FakeBotApi() {
        this(Duration.ofMillis(500));
    }

    /** @param maxLongPoll the fake caps long polls at this (Telegram caps at 50 s) so tests stay fast */
    FakeBotApi(Duration maxLongPoll) {
        this.maxLongPoll = maxLongPoll;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    return FakeBotApi.this.dispatch(request);
                } catch (Exception e) {
                    return error(500, "Internal Server Error: fake failed: " + e);
                }
            }
        });
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpUrl baseUrl() {
        return server.url("/");
    }

    ObjectMapper json() {
        return json;
    }

    // ------------------------------------------------------------------ scripting

    /** Queues a raw update (any JSON text, even broken) for getUpdates; returns its update_id. */
    long enqueueUpdate(Map<String, Object> body) {
        lock.lock();
        try {
            long id = nextId();
            ObjectNode update = json.createObjectNode().put("update_id", id);
            update.setAll(json.<ObjectNode>valueToTree(body));
            put(id, update.toString());
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a fixture update (a resource JSON) with a fresh update_id; returns the update_id. */
    long enqueueFixture(String fixture) {
        lock.lock();
        try {
            long id = nextId();
            put(id, fixtureWithId(fixture, id));
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** A fixture as raw bytes with {@code id} as update_id, for webhook tests. */
    String fixtureWithId(String fixture, long id) {
        try (var in = FakeBotApi.class.getResourceAsStream("/updates/" + fixture + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + fixture);
            }
            ObjectNode node = (ObjectNode) json.readTree(in);
            node.put("update_id", id);
            return node.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Queues raw text as one element of the getUpdates result array with its own id (must still be JSON). */
    long enqueueRawElement(String rawJsonElement) {
        lock.lock();
        try {
            long id = nextId();
            put(id, rawJsonElement);
            return id;
        } finally {
            lock.unlock();
        }
    }

    long nextUpdateIdForWebhook() {
        lock.lock();
        try {
            return nextId();
        } finally {
            lock.unlock();
        }
    }

    private long nextId() {
        // update_id increases but is not contiguous
        nextUpdateId += 1 + (nextUpdateId % 3);
        return nextUpdateId;
    }

    private void put(long id, String raw) {
        pending.put(id, raw);
        allUpdates.put(id, raw);
        updatesArrived.signalAll();
    }

    void failNextSend(int httpStatus, String body, Map<String, String> headers) {
        MockResponse r = new MockResponse().setResponseCode(httpStatus).setBody(body);
        headers.forEach(r::addHeader);
        synchronized (scriptedSendFailures) {
            scriptedSendFailures.add(r);
        }
    }

    void failNextPoll(MockResponse response) {
        synchronized (scriptedPollFailures) {
            scriptedPollFailures.add(response);
        }
    }

    void blockChat(long chatId) {
        synchronized (blockedChats) {
            blockedChats.add(chatId);
        }
    }

    void removeChat(long chatId) {
        synchronized (missingChats) {
            missingChats.add(chatId);
        }
    }

    void migrateChat(long groupId, long supergroupId) {
        synchronized (migratedChats) {
            migratedChats.put(groupId, supergroupId);
        }
    }

    void addFile(String fileId, String filePath, byte[] bytes) {
        synchronized (filePaths) {
            filePaths.put(fileId, filePath);
            fileContents.put(filePath, bytes);
        }
    }

    /** Simulates another party calling setWebhook: getUpdates now answers 409. */
    void setWebhookExternally() {
        webhookUrl = "https://elsewhere.example/hook";
        webhookSet = true;
    }

    /** Simulates another party calling deleteWebhook. */
    void deleteWebhookExternally() {
        webhookSet = false;
        webhookUrl = "";
    }

    List<ApiCall> calls() {
        return List.copyOf(calls);
    }

    List<ApiCall> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    int pollCalls() {
        lock.lock();
        try {
            return pollCalls;
        } finally {
            lock.unlock();
        }
    }

    /** The most getUpdates calls the fake held open at the same time. */
    int maxOpenPolls() {
        lock.lock();
        try {
            return maxOpenPolls;
        } finally {
            lock.unlock();
        }
    }

    /** Updates not yet confirmed by an offset. */
    Set<Long> pendingUpdateIds() {
        lock.lock();
        try {
            return Set.copyOf(pending.keySet());
        } finally {
            lock.unlock();
        }
    }

    boolean webhookSet() {
        return webhookSet;
    }

    Optional<String> webhookSecret() {
        return Optional.ofNullable(webhookSecret);
    }

    // ------------------------------------------------------------------ PlatformFake

    @Override
    public void bind(Channel channel) {
        this.webhook = channel.webhook().orElse(null);
    }

    @Override
    public String deliverText(String platformUserId, String displayName, String text) {
        long userId = Long.parseLong(platformUserId);
        String[] names = displayName.split(" ", 2);
        Map<String, Object> from = new java.util.LinkedHashMap<>();
        from.put("id", userId);
        from.put("is_bot", false);
        from.put("first_name", names[0]);
        if (names.length > 1) {
            from.put("last_name", names[1]);
        }
        from.put("language_code", "en");
        Map<String, Object> message = new java.util.LinkedHashMap<>();
        message.put("message_id", 1000 + pendingUpdateIds().size());
        message.put("from", from);
        message.put("chat", Map.of("id", userId, "first_name", names[0], "type", "private"));
        message.put("date", 1_763_900_000L);
        message.put("text", text);
        if (webhook == null) {
            return Long.toString(enqueueUpdate(Map.of("message", message)));
        }
        long id = nextUpdateIdForWebhook();
        ObjectNode update = json.createObjectNode().put("update_id", id);
        update.set("message", json.valueToTree(message));
        lock.lock();
        try {
            allUpdates.put(id, update.toString());
        } finally {
            lock.unlock();
        }
        deliverToWebhook(update.toString().getBytes(StandardCharsets.UTF_8));
        return Long.toString(id);
    }

    /** POSTs {@code body} to the bound webhook handler as Telegram would, with {@code secret} (null: no header). */
    WebhookResponse postToWebhook(byte[] body, String secret) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        if (secret != null) {
            headers.put(TelegramWebhook.SECRET_HEADER, List.of(secret));
        }
        try {
            return webhook.handle(WebhookRequest.post(webhook.path(), headers, body)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("webhook handler failed: " + e, e);
        }
    }

    @Override
    public void redeliver(String eventId) {
        long id = Long.parseLong(eventId);
        lock.lock();
        String raw;
        try {
            raw = allUpdates.get(id);
            if (raw == null) {
                throw new IllegalArgumentException("unknown update " + eventId);
            }
            if (webhook == null) {
                // as if the confirmation was lost (server restart): returned once more regardless of offset
                redelivered.add(raw);
                updatesArrived.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        deliverToWebhook(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Delivers like Telegram: a non-2xx answer is retried (here at once, at most 5 attempts). */
    private void deliverToWebhook(byte[] body) {
        for (int attempt = 0; attempt < 5; attempt++) {
            if (postToWebhook(body, webhookSecret).status() / 100 == 2) {
                return;
            }
        }
    }

    @Override
    public String knownRecipient() {
        return KNOWN_RECIPIENT;
    }

    @Override
    public void failNextSendWithRateLimit(Duration retryAfter) {
        long s = retryAfter.toSeconds();
        failNextSend(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after " + s
                + "\",\"parameters\":{\"retry_after\":" + s + "}}", Map.of("Retry-After", Long.toString(s),
                "Content-Type", "application/json"));
    }

    @Override
    public void failNextSendWithServerError() {
        failNextSend(500, "{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}",
                Map.of("Content-Type", "application/json"));
    }

    @Override
    public void failNextSendWithPermanentError() {
        failNextSend(403, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the "
                + "user\"}", Map.of("Content-Type", "application/json"));
    }

    @Override
    public List<SentMessage> sent() {
        return List.copyOf(sent);
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            updatesArrived.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            server.shutdown();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Lets tests configure the webhook side: the secret the fake sends (as Telegram got it from setWebhook). */
    void useWebhookSecret(String secret) {
        this.webhookSecret = secret;
    }

    // ------------------------------------------------------------------ dispatch

    private MockResponse dispatch(RecordedRequest request) throws IOException, InterruptedException {
        String path = request.getRequestUrl() == null ? request.getPath() : request.getRequestUrl().encodedPath();
        Matcher file = FILE_PATH.matcher(path);
        if (file.matches()) {
            if (!file.group(1).equals(TOKEN)) {
                return error(401, "Unauthorized");
            }
            byte[] bytes;
            synchronized (filePaths) {
                bytes = fileContents.get(file.group(2));
            }
            return bytes == null ? error(404, "Not Found")
                    : new MockResponse().setBody(new Buffer().write(bytes))
                    .addHeader("Content-Type", "application/octet-stream");
        }
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return error(404, "Not Found");
        }
        String method = m.group(2);
        ApiCall call = parse(method, request);
        calls.add(call); // refused calls too: tests count how often a channel tries a wrong token
        if (!m.group(1).equals(TOKEN)) {
            // as the Bot API: a token it cannot parse is 404 on every method, a well-formed wrong one 401
            return m.group(1).matches("\\d+:[A-Za-z0-9_-]+") ? error(401, "Unauthorized") : error(404, "Not Found");
        }
        ObjectNode p = call.params();
        switch (method) {
            case "getUpdates":
                return getUpdates(p);
            case "getMe":
                return ok(json.createObjectNode().put("id", Long.parseLong(TOKEN.substring(0, TOKEN.indexOf(':'))))
                        .put("is_bot", true).put("first_name", "Fake Bot").put("username", "fake_test_bot")
                        .put("can_join_groups", true).put("can_read_all_group_messages", false)
                        .put("supports_inline_queries", false));
            case "getWebhookInfo": {
                ObjectNode info = json.createObjectNode().put("url", webhookSet ? webhookUrl : "")
                        .put("has_custom_certificate", false).put("pending_update_count", 0);
                return ok(info);
            }
            case "setWebhook":
                if (!p.path("secret_token").asText("").matches("[A-Za-z0-9_-]{1,256}")) {
                    return error(400, "Bad Request: secret token contains unallowed characters");
                }
                webhookSet = true;
                webhookUrl = p.path("url").asText("");
                webhookSecret = p.get("secret_token").asText();
                return ok(json.getNodeFactory().booleanNode(true));
            case "deleteWebhook":
                webhookSet = false;
                return ok(json.getNodeFactory().booleanNode(true));
            case "answerCallbackQuery":
                if (p.path("callback_query_id").asText("").isEmpty()) {
                    return error(400, "Bad Request: query is too old and response timeout expired or query ID is "
                            + "invalid");
                }
                return ok(json.getNodeFactory().booleanNode(true));
            case "getFile": {
                String fileId = p.path("file_id").asText("");
                String filePath;
                synchronized (filePaths) {
                    filePath = filePaths.get(fileId);
                }
                if (filePath == null) {
                    return error(400, "Bad Request: invalid file_id");
                }
                ObjectNode result = json.createObjectNode().put("file_id", fileId).put("file_unique_id", "u" + fileId)
                        .put("file_path", filePath);
                return ok(result);
            }
            default:
                if (SEND_METHODS.contains(method)) {
                    return send(method, p, call.file());
                }
                return error(404, "Not Found: method not found");
        }
    }

    private MockResponse getUpdates(ObjectNode p) throws InterruptedException {
        lock.lock();
        try {
            pollCalls++;
        } finally {
            lock.unlock();
        }
        synchronized (scriptedPollFailures) {
            if (!scriptedPollFailures.isEmpty()) {
                return scriptedPollFailures.poll();
            }
        }
        if (webhookSet) {
            return error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
                    + "delete the webhook first");
        }
        long offset = p.path("offset").asLong(0);
        int limit = Math.max(1, Math.min(100, p.path("limit").asInt(100)));
        long timeoutMs = Math.min(p.path("timeout").asLong(0) * 1000, maxLongPoll.toMillis());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        openPolls++;
        maxOpenPolls = Math.max(maxOpenPolls, openPolls);
        try {
            if (offset > 0) {
                pending.headMap(offset).clear(); // confirmation: everything below offset is forgotten
            }
            while (!closed && redelivered.isEmpty() && pending.tailMap(offset > 0 ? offset : Long.MIN_VALUE)
                    .isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                updatesArrived.awaitNanos(left);
                if (offset > 0) {
                    pending.headMap(offset).clear();
                }
            }
            List<String> batch = new ArrayList<>();
            while (!redelivered.isEmpty() && batch.size() < limit) {
                batch.add(redelivered.poll());
            }
            for (String raw : pending.tailMap(offset > 0 ? offset : Long.MIN_VALUE).values()) {
                if (batch.size() >= limit) {
                    break;
                }
                batch.add(raw);
            }
            return new MockResponse().addHeader("Content-Type", "application/json")
                    .setBody("{\"ok\":true,\"result\":[" + String.join(",", batch) + "]}");
        } finally {
            openPolls--;
            lock.unlock();
        }
    }

    private MockResponse send(String method, ObjectNode p, Optional<UploadedFile> file) {
        synchronized (scriptedSendFailures) {
            if (!scriptedSendFailures.isEmpty()) {
                return scriptedSendFailures.poll();
            }
        }
        long chatId;
        try {
            chatId = Long.parseLong(p.path("chat_id").asText(""));
        } catch (NumberFormatException e) {
            return error(400, "Bad Request: chat_id is empty");
        }
        synchronized (migratedChats) {
            if (migratedChats.containsKey(chatId)) {
                ObjectNode body = errorBody(400, "Bad Request: group chat was upgraded to a supergroup chat");
                body.putObject("parameters").put("migrate_to_chat_id", migratedChats.get(chatId));
                return json(400, body);
            }
        }
        synchronized (missingChats) {
            if (missingChats.contains(chatId)) {
                return error(400, "Bad Request: chat not found");
            }
        }
        synchronized (blockedChats) {
            if (blockedChats.contains(chatId)) {
                return error(403, "Forbidden: bot was blocked by the user");
            }
        }
        String text = "";
        if (method.equals("sendMessage")) {
            text = p.path("text").asText("");
            Optional<String> problem = checkText(text, p.path("parse_mode").asText(""), 4096);
            if (problem.isPresent()) {
                return error(400, problem.get());
            }
        } else if (p.has("caption")) {
            text = p.path("caption").asText("");
            Optional<String> problem = checkText(text, p.path("parse_mode").asText(""), 1024);
            if (problem.isPresent()) {
                return error(400, problem.get().replace("message is too long", "message caption is too long"));
            }
        }
        List<String> labels = new ArrayList<>();
        JsonNode markup = p.path("reply_markup");
        if (markup.isTextual()) {
            try {
                markup = json.readTree(markup.asText());
            } catch (IOException e) {
                return error(400, "Bad Request: can't parse reply keyboard markup JSON object");
            }
        }
        for (String kind : List.of("inline_keyboard", "keyboard")) {
            for (JsonNode row : markup.path(kind)) {
                for (JsonNode button : row) {
                    JsonNode data = button.path("callback_data");
                    if (data.isTextual() && data.asText().getBytes(StandardCharsets.UTF_8).length > 64) {
                        return error(400, "Bad Request: BUTTON_DATA_INVALID");
                    }
                    labels.add(button.path("text").asText());
                }
            }
        }
        long messageId;
        synchronized (messageCounters) {
            messageId = messageCounters.merge(chatId, 1L, Long::sum);
        }
        ObjectNode result = json.createObjectNode().put("message_id", messageId).put("date", 1_763_900_100L);
        result.putObject("chat").put("id", chatId).put("type", chatId < 0 ? "supergroup" : "private");
        if (method.equals("sendMessage")) {
            result.put("text", text);
        }
        file.ifPresent(f -> result.putObject("document").put("file_id", "uploaded-" + messageId)
                .put("file_name", f.fileName()));
        sent.add(new SentMessage(Long.toString(chatId), text, labels, chatId + ":" + messageId));
        return ok(result);
    }

    /** Validates text like Telegram: HTML entities must parse, and the parsed text must fit. */
    static Optional<String> checkText(String text, String parseMode, int limit) {
        String plain = text;
        if (parseMode.equals("HTML")) {
            try {
                plain = htmlToPlain(text);
            } catch (IllegalArgumentException e) {
                return Optional.of("Bad Request: can't parse entities: " + e.getMessage());
            }
        }
        if (plain.isEmpty() && limit == 4096) {
            return Optional.of("Bad Request: message text is empty");
        }
        if (plain.length() > limit) {
            return Optional.of("Bad Request: message is too long");
        }
        return Optional.empty();
    }

    /** Parses Telegram HTML strictly: only known tags, only known entities, no bare {@code < > &}. */
    static String htmlToPlain(String s) {
        StringBuilder out = new StringBuilder();
        Deque<String> open = new ArrayDeque<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '<') {
                int end = s.indexOf('>', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed start tag at byte offset " + i);
                }
                String tag = s.substring(i + 1, end);
                boolean closing = tag.startsWith("/");
                String name = (closing ? tag.substring(1) : tag).split("[\\s=]", 2)[0].toLowerCase();
                if (!HTML_TAGS.contains(name)) {
                    throw new IllegalArgumentException("Unsupported start tag \"" + name + "\" at byte offset " + i);
                }
                if (closing) {
                    if (open.isEmpty() || !open.pop().equals(name)) {
                        throw new IllegalArgumentException("Unmatched end tag at byte offset " + i);
                    }
                } else {
                    open.push(name);
                }
                i = end + 1;
            } else if (c == '&') {
                Matcher m = Pattern.compile("&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);").matcher(s);
                if (!m.find(i) || m.start() != i) {
                    throw new IllegalArgumentException("Character entity expected at byte offset " + i);
                }
                String e = m.group(1);
                switch (e) {
                    case "lt":
                        out.append('<');
                        break;
                    case "gt":
                        out.append('>');
                        break;
                    case "amp":
                        out.append('&');
                        break;
                    case "quot":
                        out.append('"');
                        break;
                    default:
                        out.appendCodePoint(e.startsWith("#x") ? Integer.parseInt(e.substring(2), 16)
                                : Integer.parseInt(e.substring(1)));
                }
                i = m.end();
            } else if (c == '>') {
                throw new IllegalArgumentException("Unexpected '>' at byte offset " + i);
            } else {
                out.append(c);
                i++;
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("Can't find end tag corresponding to start tag \"" + open.peek()
                    + "\"");
        }
        return out.toString();
    }

    private ApiCall parse(String method, RecordedRequest request) throws IOException {
        String contentType = Optional.ofNullable(request.getHeader("Content-Type")).orElse("");
        byte[] body = request.getBody().readByteArray();
        ObjectNode params = json.createObjectNode();
        Optional<UploadedFile> file = Optional.empty();
        if (contentType.startsWith("multipart/form-data")) {
            MediaType type = MediaType.get(contentType);
            String boundary = type.parameter("boundary");
            try (MultipartReader reader = new MultipartReader(new Buffer().write(body), boundary)) {
                MultipartReader.Part part;
                while ((part = reader.nextPart()) != null) {
                    String disposition = part.headers().get("Content-Disposition");
                    String name = attribute(disposition, "name");
                    String fileName = attribute(disposition, "filename");
                    byte[] bytes = part.body().readByteArray();
                    if (fileName != null) {
                        file = Optional.of(new UploadedFile(name, fileName,
                                Optional.ofNullable(part.headers().get("Content-Type")).orElse(""), bytes));
                        params.put(name, "attach://" + fileName);
                    } else {
                        params.put(name, new String(bytes, StandardCharsets.UTF_8));
                    }
                }
            }
        } else if (body.length > 0) {
            JsonNode node = json.readTree(body);
            if (node.isObject()) {
                params = (ObjectNode) node;
            }
        }
        return new ApiCall(method, params, file);
    }

    private static String attribute(String disposition, String name) {
        if (disposition == null) {
            return null;
        }
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(disposition);
        return m.find() ? m.group(1) : null;
    }

    private MockResponse ok(JsonNode result) {
        ObjectNode body = json.createObjectNode().put("ok", true);
        body.set("result", result);
        return json(200, body);
    }

    private MockResponse error(int code, String description) {
        return json(code, errorBody(code, description));
    }

    private ObjectNode errorBody(int code, String description) {
        return json.createObjectNode().put("ok", false).put("error_code", code).put("description", description);
    }

    private static MockResponse json(int status, JsonNode body) {
        return new MockResponse().setResponseCode(status).addHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    static ArrayNode array(ObjectMapper json) {
        return json.createArrayNode();
    }
}
