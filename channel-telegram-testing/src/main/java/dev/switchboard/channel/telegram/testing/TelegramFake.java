package dev.switchboard.channel.telegram.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.testkit.PlatformFake;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * A fake Telegram Bot API for tests, as OkHttp publishes MockWebServer: it speaks the documented wire format on a
 * loopback port ({@code /bot<token>/<method>} with JSON, form or multipart bodies, the {@code {"ok":...}} envelope,
 * errors as {@code {"ok":false,"error_code","description","parameters"}}). It answers getMe (401 for a wrong token),
 * getUpdates with offset confirmation and long polling woken by a pushed update (an older poll of the same bot is
 * ended with 409 "terminated by other getUpdates request", and getUpdates answers 409 while a webhook is set),
 * setWebhook/deleteWebhook/getWebhookInfo, the send methods (HTML and length checked, per-chat message ids, 64-byte
 * callback data), answerCallbackQuery, getFile and file downloads. Updates reach the channel by long polling, or by
 * webhook push (to a bound in-process {@link WebhookHandler} or an HTTP URL, with the
 * {@code X-Telegram-Bot-Api-Secret-Token} header and retries of non-2xx answers). Per-chat and global send limits
 * answer 429 with {@code parameters.retry_after} and {@code Retry-After}; scripted errors reproduce a revoked token
 * (401), a blocked bot (403), a missing or migrated chat (400) and server errors (5xx). Several bots (tokens) can share
 * one fake. Implements {@link PlatformFake} for the compatibility kit. Thread-safe; create one per test and close it.
 */
public final class TelegramFake implements PlatformFake {
    /** The token of the fake's default bot (id 123456789); not a secret, it opens nothing but the fake. */
    public static final String TOKEN = "123456789:AAHfakeTokenForTestsOnly_0123456789abc";
    /** A private chat (a customer's user id) the bots can send to. */
    public static final String KNOWN_RECIPIENT = "424242001";
    /** The header Telegram sends the webhook's {@code secret_token} in. */
    public static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private static final Pattern PATH = Pattern.compile("/bot([^/]+)/([A-Za-z]+)");
    private static final Pattern FILE_PATH = Pattern.compile("/file/bot([^/]+)/(.+)");
    private static final Pattern TOKEN_FORMAT = Pattern.compile("\\d{1,18}:[A-Za-z0-9_-]+");
    private static final Set<String> SEND_METHODS = Set.of("sendMessage", "sendPhoto", "sendDocument", "sendVideo",
            "sendAudio", "sendVoice", "sendSticker", "sendLocation", "sendVenue", "sendContact");
    private static final Map<String, String> METHODS = canonicalNames();
    private static final int WEBHOOK_ATTEMPTS = 5;

    /**
     * One Bot API call the fake received, refused ones included.
     *
     * @param botId the id part of the token the call used (0 when it had none); never the token itself
     * @param method the method name as called, e.g. {@code sendMessage}
     * @param params the parameters from the query, JSON, form or multipart body (files as {@code attach://<name>})
     * @param file the uploaded file of a multipart call, if any
     * @param receivedAt when the fake received the call, by the fake's clock
     */
    public record ApiCall(long botId, String method, ObjectNode params, Optional<UploadedFile> file,
                          Instant receivedAt) {
        public ApiCall {
            Objects.requireNonNull(method, "method");
            params = params.deepCopy();
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(receivedAt, "receivedAt");
        }

        @Override
        public ObjectNode params() {
            return params.deepCopy();
        }

        /** A parameter as text ({@code ""} when absent); object and array values as JSON text. */
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
                    return Optional.of(new ObjectMapper().readTree(n.asText()));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
            return Optional.of(n.deepCopy());
        }
    }

    /**
     * A message a bot sent, as the customer sees it in the chat.
     *
     * @param botId the sending bot's id
     * @param chatId the chat it went to
     * @param messageId the id the fake answered with, counted per chat
     * @param method the send method, e.g. {@code sendPhoto}
     * @param text the text or caption exactly as sent (HTML or MarkdownV2 when a parse mode was given)
     * @param buttonLabels the labels of its inline or reply keyboard buttons, in order
     * @param sentAt when the fake accepted it, by the fake's clock
     */
    public record Delivered(long botId, long chatId, long messageId, String method, String text,
                            List<String> buttonLabels, Instant sentAt) {
        public Delivered {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(text, "text");
            buttonLabels = List.copyOf(buttonLabels);
            Objects.requireNonNull(sentAt, "sentAt");
        }
    }

    /** A file a multipart call uploaded: the form field, the file name and type the client gave, the bytes. */
    public record UploadedFile(String field, String fileName, String contentType, byte[] bytes) {
        public UploadedFile {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(contentType, "contentType");
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final MockWebServer server = new MockWebServer();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Bot> bots = new LinkedHashMap<>();
    private final Bot primary;
    private final Duration longPollCap;
    private final Clock clock;
    private final boolean systemClock;
    private final double globalPerSecond;
    private final double globalBurst;
    private final double perChatPerSecond;
    private final double perChatBurst;
    private final Deque<MockResponse> scriptedSendFailures = new ArrayDeque<>();
    private final Deque<MockResponse> scriptedPollFailures = new ArrayDeque<>();
    private final List<Delivered> delivered = Collections.synchronizedList(new ArrayList<>());
    private final List<ApiCall> calls = Collections.synchronizedList(new ArrayList<>());
    private final Set<Long> blockedChats = new HashSet<>();
    private final Set<Long> missingChats = new HashSet<>();
    private final Map<Long, Long> migratedChats = new HashMap<>();
    private final Map<String, String> filePaths = new HashMap<>();
    private final Map<String, byte[]> fileContents = new HashMap<>();
    private volatile HttpClient webhookClient;
    private int pollCalls;
    private int openPolls;
    private int maxOpenPolls;
    private int rateLimited;
    private int rateLimitedPerChat;
    private long nextFileId = 1;
    private long nextCallbackId = 1;
    private volatile boolean closed;

    /** A fake with the default bot ({@link #TOKEN}), no rate limits and long polls capped at 500 ms. */
    public TelegramFake() {
        this(builder());
    }

    private TelegramFake(Builder b) {
        this.longPollCap = b.longPollCap;
        this.clock = b.clock;
        this.systemClock = b.clock.equals(Clock.systemUTC());
        this.globalPerSecond = b.globalPerSecond;
        this.globalBurst = b.globalBurst;
        this.perChatPerSecond = b.perChatPerSecond;
        this.perChatBurst = b.perChatBurst;
        List<String> tokens = b.tokens.isEmpty() ? List.of(TOKEN) : b.tokens;
        for (String token : tokens) {
            bots.put(token, new Bot(token, lock.newCondition()));
        }
        this.primary = bots.values().iterator().next();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    return TelegramFake.this.dispatch(request);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return error(500, "Internal Server Error");
                } catch (RuntimeException | IOException e) {
                    return error(500, "Internal Server Error: fake failed: " + e);
                }
            }
        });
        // answers go out at once: no Nagle delay that a benchmark would count as the channel's latency
        server.setServerSocketFactory(dev.switchboard.testkit.NoDelayServerSockets.INSTANCE);
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Telegram fake", e);
        }
    }

    /** A builder for a fake with other bots, rate limits, long-poll cap or clock. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ where it listens

    /** The API root to configure the channel's {@code apiBaseUrl} with, e.g. {@code http://127.0.0.1:41234/}. */
    public String url() {
        // the address literal, not "localhost": a client that resolves localhost to ::1 first would miss the fake
        InetAddress loopback = InetAddress.getLoopbackAddress();
        String host = loopback.getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort() + "/";
    }

    /** The default bot's token: the first one given to the builder, else {@link #TOKEN}. */
    public String token() {
        return primary.token;
    }

    // ------------------------------------------------------------------ customers doing things

    /** A customer sends {@code text} in their private chat with the default bot; returns the update_id. */
    public long pushText(long userId, String displayName, String text) {
        ObjectNode message = customerMessage(userId, displayName);
        message.put("text", text);
        return pushUpdate(update("message", message));
    }

    /**
     * A customer shares their own phone number with the default bot (the reply keyboard's {@code request_contact}
     * button: {@code contact.user_id} equals {@code from.id}); returns the update_id.
     */
    public long pushContact(long userId, String displayName, String phoneNumber) {
        ObjectNode message = customerMessage(userId, displayName);
        String[] names = names(displayName);
        ObjectNode contact = message.putObject("contact").put("phone_number", phoneNumber)
                .put("first_name", names[0]).put("user_id", userId);
        if (names.length > 1) {
            contact.put("last_name", names[1]);
        }
        return pushUpdate(update("message", message));
    }

    /** A customer presses an inline button carrying {@code callbackData} under a bot message; returns the update_id. */
    public long pushCallback(long userId, String displayName, String callbackData) {
        ObjectNode query = json.createObjectNode();
        lock.lock();
        try {
            query.put("id", Long.toString(4_000_000_000_000L + nextCallbackId++));
        } finally {
            lock.unlock();
        }
        query.set("from", user(userId, displayName));
        ObjectNode message = json.createObjectNode().put("message_id", nextMessageId(userId));
        message.set("from", json.createObjectNode().put("id", primary.id).put("is_bot", true)
                .put("first_name", "Fake Bot").put("username", username(primary)));
        message.set("chat", chat(userId, displayName));
        message.put("date", clock.instant().getEpochSecond()).put("text", "");
        query.set("message", message);
        query.put("chat_instance", Long.toString(userId * 31)).put("data", callbackData);
        return pushUpdate(update("callback_query", query));
    }

    /**
     * Delivers an update to the default bot exactly as given (fields as the Bot API sends them, without
     * {@code update_id}, which the fake assigns: increasing, not contiguous); returns the update_id.
     */
    public long pushUpdate(ObjectNode updateWithoutId) {
        return pushUpdate(primary.token, updateWithoutId);
    }

    /** Delivers an update to the bot with this token (given to the builder); returns the update_id. */
    public long pushUpdate(String token, ObjectNode updateWithoutId) {
        Bot bot = bot(token);
        long id;
        String raw;
        lock.lock();
        try {
            id = bot.nextUpdateId();
            ObjectNode update = json.createObjectNode().put("update_id", id);
            updateWithoutId.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("update_id")) {
                    update.set(e.getKey(), e.getValue().deepCopy());
                }
            });
            raw = update.toString();
            bot.all.put(id, raw);
            if (!webhookTarget(bot)) {
                bot.pending.put(id, raw);
                bot.updatesArrived.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (webhookTarget(bot)) {
            pushToWebhook(bot, raw);
        }
        return id;
    }

    /**
     * Queues raw text as one element of the default bot's getUpdates result (it must still be JSON, anything else:
     * a string, an update missing fields) under a fresh update_id, for testing how a channel handles bad updates.
     */
    public long pushRawUpdate(String rawJsonElement) {
        lock.lock();
        try {
            long id = primary.nextUpdateId();
            primary.pending.put(id, rawJsonElement);
            primary.all.put(id, rawJsonElement);
            primary.updatesArrived.signalAll();
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** The next message id in a chat of the default bot, shared with the bot's own messages, for updates you build. */
    public long nextMessageId(long chatId) {
        lock.lock();
        try {
            return primary.nextMessageId(chatId);
        } finally {
            lock.unlock();
        }
    }

    /** Stores a file customers can send: getFile answers {@code filePath} for {@code fileId}, downloads serve it. */
    public void addFile(String fileId, String filePath, byte[] bytes) {
        lock.lock();
        try {
            filePaths.put(fileId, filePath);
            fileContents.put(filePath, bytes.clone());
        } finally {
            lock.unlock();
        }
    }

    /** Stores a file under a fresh file_id (put it in a photo or document update) and returns the file_id. */
    public String addFile(String fileName, byte[] bytes) {
        String fileId;
        lock.lock();
        try {
            fileId = "BQACAgIAAxkBAAI" + nextFileId++;
        } finally {
            lock.unlock();
        }
        addFile(fileId, "documents/" + fileId + "_" + fileName, bytes);
        return fileId;
    }

    // ------------------------------------------------------------------ webhook delivery

    /** Pushes the default bot's updates to this in-process handler (as Telegram POSTs them) instead of queueing them. */
    public void pushTo(WebhookHandler handler) {
        primary.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Pushes the default bot's updates by HTTP POST to this URL (usually your server's webhook route on loopback)
     * with the secret the channel registered by setWebhook, instead of queueing them.
     */
    public void pushTo(String webhookUrl) {
        URI uri = URI.create(Objects.requireNonNull(webhookUrl, "webhookUrl"));
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("webhookUrl is not an http(s) URL: " + webhookUrl);
        }
        primary.pushUrl = webhookUrl;
    }

    /** POSTs {@code body} to the bound handler with the secret header the channel registered (none if none). */
    public WebhookResponse postToWebhook(byte[] body) {
        String secret;
        lock.lock();
        try {
            secret = primary.webhookSecret;
        } finally {
            lock.unlock();
        }
        return post(body, secret.isEmpty() ? Map.of() : Map.of(SECRET_HEADER, List.of(secret)));
    }

    /** POSTs {@code body} to the bound handler with {@code secret} in the secret header (a wrong one, say). */
    public WebhookResponse postToWebhook(byte[] body, String secret) {
        return post(body, Map.of(SECRET_HEADER, List.of(Objects.requireNonNull(secret, "secret"))));
    }

    /** POSTs {@code body} to the bound handler without the secret header, as a forged request would. */
    public WebhookResponse postToWebhookWithoutSecret(byte[] body) {
        return post(body, Map.of());
    }

    private WebhookResponse post(byte[] body, Map<String, List<String>> extraHeaders) {
        WebhookHandler handler = primary.handler;
        if (handler == null) {
            throw new IllegalStateException("no webhook handler: bind(channel) or pushTo(handler) first");
        }
        Map<String, List<String>> headers = new HashMap<>(extraHeaders);
        headers.put("Content-Type", List.of("application/json"));
        try {
            return handler.handle(WebhookRequest.post(handler.path(), headers, body)).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the webhook handler worked", e);
        } catch (Exception e) {
            throw new IllegalStateException("webhook handler failed: " + e, e);
        }
    }

    private boolean webhookTarget(Bot bot) {
        return bot.handler != null || !bot.pushUrl.isEmpty();
    }

    /** Delivers like Telegram: a non-2xx answer is retried (here at once, a few times); then the update is dropped. */
    private void pushToWebhook(Bot bot, String raw) {
        byte[] body = raw.getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < WEBHOOK_ATTEMPTS && !closed; attempt++) {
            if (bot.handler != null) {
                if (postToWebhook(body).status() / 100 == 2) {
                    return;
                }
            } else if (postToUrl(bot, body) / 100 == 2) {
                return;
            }
        }
    }

    private int postToUrl(Bot bot, byte[] body) {
        String secret;
        lock.lock();
        try {
            secret = bot.webhookSecret;
        } finally {
            lock.unlock();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bot.pushUrl)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!secret.isEmpty()) {
            request.header(SECRET_HEADER, secret);
        }
        try {
            return webhookClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 599; // unreachable: retried like a non-2xx answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 599;
        }
    }

    private HttpClient webhookClient() {
        HttpClient client = webhookClient;
        if (client == null) {
            synchronized (this) {
                if (webhookClient == null) {
                    webhookClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                }
                client = webhookClient;
            }
        }
        return client;
    }

    // ------------------------------------------------------------------ scripted platform behaviour

    /** The next send (any bot) is answered with this HTTP status, body and headers. */
    public void failNextSend(int httpStatus, String body, Map<String, String> headers) {
        MockResponse r = new MockResponse().setResponseCode(httpStatus).setBody(body);
        headers.forEach(r::addHeader);
        lock.lock();
        try {
            scriptedSendFailures.add(r);
        } finally {
            lock.unlock();
        }
    }

    /** The next send is answered with a Bot API error: {@code {"ok":false,"error_code":code,"description":...}}. */
    public void failNextSend(int errorCode, String description) {
        failNextSend(errorCode, errorBody(errorCode, description).toString(), Map.of("Content-Type",
                "application/json"));
    }

    /** The next getUpdates (any bot) is answered with this HTTP status, body and headers. */
    public void failNextPoll(int httpStatus, String body, Map<String, String> headers) {
        MockResponse r = new MockResponse().setResponseCode(httpStatus).setBody(body);
        headers.forEach(r::addHeader);
        lock.lock();
        try {
            scriptedPollFailures.add(r);
        } finally {
            lock.unlock();
        }
    }

    /** The customer blocked the bots: sends to this chat get 403 "Forbidden: bot was blocked by the user". */
    public void blockChat(long chatId) {
        lock.lock();
        try {
            blockedChats.add(chatId);
        } finally {
            lock.unlock();
        }
    }

    /** The chat no longer exists: sends to it get 400 "Bad Request: chat not found". */
    public void removeChat(long chatId) {
        lock.lock();
        try {
            missingChats.add(chatId);
        } finally {
            lock.unlock();
        }
    }

    /** The group became a supergroup: sends to it get 400 with {@code parameters.migrate_to_chat_id}. */
    public void migrateChat(long groupId, long supergroupId) {
        lock.lock();
        try {
            migratedChats.put(groupId, supergroupId);
        } finally {
            lock.unlock();
        }
    }

    /** The owner revoked the default bot's token in @BotFather: every call with it now gets 401 "Unauthorized". */
    public void revokeToken() {
        lock.lock();
        try {
            primary.revoked = true;
        } finally {
            lock.unlock();
        }
    }

    /** Another client set a webhook for the default bot: getUpdates now answers 409. */
    public void setWebhookExternally(String url) {
        lock.lock();
        try {
            primary.webhookSet = true;
            primary.webhookUrl = url;
        } finally {
            lock.unlock();
        }
    }

    /** Another client deleted the default bot's webhook. */
    public void deleteWebhookExternally() {
        lock.lock();
        try {
            primary.webhookSet = false;
            primary.webhookUrl = "";
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ what the bots did

    /** Every call the fake received, oldest first, refused ones included. */
    public List<ApiCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The calls of one method, e.g. {@code sendMessage}, oldest first. */
    public List<ApiCall> calls(String method) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.method().equals(method)).toList();
        }
    }

    /** How many getUpdates calls the fake received. */
    public int pollCalls() {
        return locked(() -> pollCalls);
    }

    /** How many getUpdates calls the fake holds open right now. */
    public int openPolls() {
        return locked(() -> openPolls);
    }

    /** The most getUpdates calls the fake held open at the same time. */
    public int maxOpenPolls() {
        return locked(() -> maxOpenPolls);
    }

    /** How many sends the rate limits refused with 429 (scripted 429s not counted). */
    public int rateLimitedSends() {
        return locked(() -> rateLimited);
    }

    /**
     * How many of {@link #rateLimitedSends()} the per-chat limit refused (the chat's bucket was empty); the rest were
     * refused by the bot's overall limit alone.
     */
    public int rateLimitedByChatLimit() {
        return locked(() -> rateLimitedPerChat);
    }

    /** The default bot's updates not yet confirmed by an offset. */
    public Set<Long> pendingUpdateIds() {
        lock.lock();
        try {
            return Set.copyOf(primary.pending.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** Updates of all bots not yet confirmed by an offset. */
    public int pendingUpdateCount() {
        return locked(() -> bots.values().stream().mapToInt(b -> b.pending.size()).sum());
    }

    /** Whether a webhook is set for the default bot (by the channel's setWebhook or {@link #setWebhookExternally}). */
    public boolean webhookSet() {
        return locked(() -> primary.webhookSet);
    }

    /** The URL the default bot's webhook was set to, if one is set. */
    public Optional<String> webhookUrl() {
        return locked(() -> primary.webhookSet ? Optional.of(primary.webhookUrl) : Optional.empty());
    }

    /** The {@code secret_token} the channel registered with setWebhook, if any. */
    public Optional<String> webhookSecret() {
        return locked(() -> primary.webhookSecret.isEmpty() ? Optional.empty() : Optional.of(primary.webhookSecret));
    }

    /**
     * Forgets the recorded calls and sent messages, refills the rate limits and zeroes the counters; queued updates,
     * files and scripted behaviour stay. For runs that reuse one fake.
     */
    public void reset() {
        lock.lock();
        try {
            synchronized (calls) {
                calls.clear();
            }
            synchronized (delivered) {
                delivered.clear();
            }
            for (Bot bot : bots.values()) {
                bot.chatBuckets.clear();
                bot.globalBucket = null;
            }
            rateLimited = 0;
            rateLimitedPerChat = 0;
            pollCalls = 0;
            maxOpenPolls = openPolls;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ PlatformFake

    /** Binds the kit's channel: a channel with a webhook gets updates pushed to its handler, any other polls. */
    @Override
    public void bind(Channel channel) {
        primary.handler = channel.webhook().orElse(null);
    }

    @Override
    public String deliverText(String platformUserId, String displayName, String text) {
        return Long.toString(pushText(Long.parseLong(platformUserId), displayName, text));
    }

    @Override
    public void redeliver(String eventId) {
        long id = Long.parseLong(eventId);
        String raw;
        lock.lock();
        try {
            raw = primary.all.get(id);
            if (raw == null) {
                throw new IllegalArgumentException("unknown update " + eventId);
            }
            if (!webhookTarget(primary)) {
                // as if the confirmation was lost (a server restart): returned once more regardless of the offset
                primary.redelivered.add(raw);
                primary.updatesArrived.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        pushToWebhook(primary, raw);
    }

    @Override
    public String knownRecipient() {
        return KNOWN_RECIPIENT;
    }

    @Override
    public void failNextSendWithRateLimit(Duration retryAfter) {
        long s = retryAfter.toSeconds();
        ObjectNode body = errorBody(429, "Too Many Requests: retry after " + s);
        body.putObject("parameters").put("retry_after", s);
        failNextSend(429, body.toString(), Map.of("Retry-After", Long.toString(s), "Content-Type",
                "application/json"));
    }

    @Override
    public void failNextSendWithServerError() {
        failNextSend(500, "Internal Server Error");
    }

    @Override
    public void failNextSendWithPermanentError() {
        failNextSend(403, "Forbidden: bot was blocked by the user");
    }

    /** What the bots sent, oldest first, in the kit's terms (platform message id {@code <chat id>:<message id>}). */
    @Override
    public List<SentMessage> sent() {
        return delivered().stream().map(d -> new SentMessage(Long.toString(d.chatId()), d.text(), d.buttonLabels(),
                d.chatId() + ":" + d.messageId())).toList();
    }

    /** What the bots sent, oldest first (refused sends are not included). */
    public List<Delivered> delivered() {
        synchronized (delivered) {
            return List.copyOf(delivered);
        }
    }

    /** Ends open polls and stops the server; never throws. */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            bots.values().forEach(b -> b.updatesArrived.signalAll());
        } finally {
            lock.unlock();
        }
        try {
            server.shutdown();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Never shows a token. */
    @Override
    public String toString() {
        return "TelegramFake[" + url() + ", bots=" + bots.size() + "]";
    }

    /**
     * Parses Telegram HTML as the Bot API does in {@code parse_mode=HTML} and returns the text a customer sees:
     * only Telegram's tags, only {@code &lt; &gt; &amp; &quot;} and numeric entities.
     *
     * @throws IllegalArgumentException with the Bot API's reason when it would answer "can't parse entities"
     */
    public static String htmlToPlain(String html) {
        return TelegramHtml.toPlain(html);
    }

    // ------------------------------------------------------------------ dispatch

    private MockResponse dispatch(RecordedRequest request) throws IOException, InterruptedException {
        server.takeRequest(0, TimeUnit.NANOSECONDS); // MockWebServer keeps every request for takeRequest(): not here
        HttpUrl url = request.getRequestUrl();
        String path = url == null ? Objects.requireNonNullElse(request.getPath(), "") : url.encodedPath();
        Matcher file = FILE_PATH.matcher(path);
        if (file.matches()) {
            return download(file.group(1), file.group(2));
        }
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return error(404, "Not Found");
        }
        String token = m.group(1);
        String method = m.group(2);
        Instant at = clock.instant();
        RequestBody body = RequestBody.parse(json, request);
        // recorded on arrival: a test sees a long poll's offset while the poll is still open
        calls.add(new ApiCall(botId(token), method, body.params(), body.file(), at));
        return answer(token, method, body);
    }

    private MockResponse answer(String token, String method, RequestBody body) throws InterruptedException {
        Bot bot = bots.get(token);
        if (bot == null || locked(() -> bot.revoked)) {
            // as the Bot API: a token it cannot parse is 404 on every method, a well-formed wrong one 401
            return TOKEN_FORMAT.matcher(token).matches() ? error(401, "Unauthorized") : error(404, "Not Found");
        }
        String canonical = METHODS.get(method.toLowerCase(Locale.ROOT));
        if (canonical == null) {
            return error(404, "Not Found: method not found");
        }
        ObjectNode p = body.params();
        switch (canonical) {
            case "getUpdates":
                return getUpdates(bot, p);
            case "getMe":
                return ok(json.createObjectNode().put("id", bot.id).put("is_bot", true).put("first_name", "Fake Bot")
                        .put("username", username(bot)).put("can_join_groups", true)
                        .put("can_read_all_group_messages", false).put("supports_inline_queries", false));
            case "getWebhookInfo":
                return locked(() -> ok(json.createObjectNode().put("url", bot.webhookSet ? bot.webhookUrl : "")
                        .put("has_custom_certificate", false).put("pending_update_count", bot.pending.size())));
            case "setWebhook":
                return setWebhook(bot, p);
            case "deleteWebhook":
                lock.lock();
                try {
                    bot.webhookSet = false;
                    bot.webhookUrl = "";
                    bot.webhookSecret = "";
                    if (p.path("drop_pending_updates").asBoolean(false)) {
                        bot.pending.clear();
                    }
                } finally {
                    lock.unlock();
                }
                return ok(json.getNodeFactory().booleanNode(true));
            case "answerCallbackQuery":
                if (p.path("callback_query_id").asText("").isEmpty()) {
                    return error(400, "Bad Request: query is too old and response timeout expired or query ID is "
                            + "invalid");
                }
                return ok(json.getNodeFactory().booleanNode(true));
            case "sendChatAction":
                return ok(json.getNodeFactory().booleanNode(true));
            case "getFile":
                return getFile(p);
            default:
                return send(bot, canonical, p, body.file());
        }
    }

    private MockResponse setWebhook(Bot bot, ObjectNode p) {
        String url = p.path("url").asText("");
        String secret = p.path("secret_token").asText("");
        if (!secret.isEmpty() && !secret.matches("[A-Za-z0-9_-]{1,256}")) {
            return error(400, "Bad Request: secret token contains unallowed characters");
        }
        if (!url.isEmpty() && !url.startsWith("https://") && !url.startsWith("http://")) {
            return error(400, "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
        }
        lock.lock();
        try {
            bot.webhookSet = !url.isEmpty();
            bot.webhookUrl = url;
            bot.webhookSecret = url.isEmpty() ? "" : secret;
            if (p.path("drop_pending_updates").asBoolean(false)) {
                bot.pending.clear();
            }
            bot.pollGeneration++; // an open poll ends: "terminated by setWebhook request"
            bot.updatesArrived.signalAll();
        } finally {
            lock.unlock();
        }
        ObjectNode body = json.createObjectNode().put("ok", true).put("result", true)
                .put("description", url.isEmpty() ? "Webhook was deleted" : "Webhook was set");
        return json(200, body);
    }

    private MockResponse getUpdates(Bot bot, ObjectNode p) throws InterruptedException {
        long offset = p.path("offset").asLong(0);
        int limit = Math.max(1, Math.min(100, p.path("limit").asInt(100)));
        long timeoutNanos = Math.min(TimeUnit.SECONDS.toNanos(Math.max(0, p.path("timeout").asLong(0))),
                longPollCap.toNanos());
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            pollCalls++;
            MockResponse scripted = scriptedPollFailures.poll();
            if (scripted != null) {
                return scripted;
            }
            if (bot.webhookSet) {
                return error(409, "Conflict: can't use getUpdates method while webhook is active; use "
                        + "deleteWebhook to delete the webhook first");
            }
            // a newer poll of the same bot ends the older one, as Telegram does
            long generation = ++bot.pollGeneration;
            bot.updatesArrived.signalAll();
            openPolls++;
            maxOpenPolls = Math.max(maxOpenPolls, openPolls);
            try {
                if (offset != 0) {
                    bot.pending.headMap(offset).clear(); // confirmation: everything below offset is forgotten
                }
                while (!closed && generation == bot.pollGeneration && bot.redelivered.isEmpty()
                        && bot.pending.tailMap(offset).isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    bot.updatesArrived.awaitNanos(left);
                }
                if (generation != bot.pollGeneration) {
                    return error(409, bot.webhookSet ? "Conflict: terminated by setWebhook request"
                            : "Conflict: terminated by other getUpdates request; make sure that only one bot "
                            + "instance is running");
                }
                List<String> batch = new ArrayList<>();
                while (!bot.redelivered.isEmpty() && batch.size() < limit) {
                    batch.add(bot.redelivered.poll());
                }
                for (String raw : bot.pending.tailMap(offset).values()) {
                    if (batch.size() >= limit) {
                        break;
                    }
                    batch.add(raw);
                }
                return new MockResponse().addHeader("Content-Type", "application/json")
                        .setBody("{\"ok\":true,\"result\":[" + String.join(",", batch) + "]}");
            } finally {
                openPolls--;
            }
        } finally {
            lock.unlock();
        }
    }

    private MockResponse send(Bot bot, String method, ObjectNode p, Optional<UploadedFile> file) {
        long chatId;
        try {
            chatId = Long.parseLong(p.path("chat_id").asText(""));
        } catch (NumberFormatException e) {
            return error(400, "Bad Request: chat_id is empty");
        }
        String text = "";
        if (method.equals("sendMessage")) {
            text = p.path("text").asText("");
            Optional<String> problem = TelegramHtml.check(text, p.path("parse_mode").asText(""), 4096);
            if (problem.isPresent()) {
                return error(400, problem.get());
            }
        } else if (p.has("caption")) {
            text = p.path("caption").asText("");
            Optional<String> problem = TelegramHtml.check(text, p.path("parse_mode").asText(""), 1024);
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
        lock.lock();
        try {
            MockResponse scripted = scriptedSendFailures.poll();
            if (scripted != null) {
                return scripted;
            }
            if (migratedChats.containsKey(chatId)) {
                ObjectNode body = errorBody(400, "Bad Request: group chat was upgraded to a supergroup chat");
                body.putObject("parameters").put("migrate_to_chat_id", migratedChats.get(chatId));
                return json(400, body);
            }
            if (missingChats.contains(chatId)) {
                return error(400, "Bad Request: chat not found");
            }
            if (blockedChats.contains(chatId)) {
                return error(403, "Forbidden: bot was blocked by the user");
            }
            Optional<MockResponse> limited = rateLimit(bot, chatId);
            if (limited.isPresent()) {
                return limited.get();
            }
            messageId = bot.nextMessageId(chatId);
            delivered.add(new Delivered(bot.id, chatId, messageId, method, text, labels, clock.instant()));
        } finally {
            lock.unlock();
        }
        ObjectNode result = json.createObjectNode().put("message_id", messageId)
                .put("date", clock.instant().getEpochSecond());
        result.set("from", json.createObjectNode().put("id", bot.id).put("is_bot", true).put("first_name", "Fake Bot")
                .put("username", username(bot)));
        result.putObject("chat").put("id", chatId).put("type", chatId < 0 ? "supergroup" : "private");
        if (method.equals("sendMessage")) {
            result.put("text", text);
        }
        file.ifPresent(f -> result.putObject("document").put("file_id", "uploaded-" + messageId)
                .put("file_name", f.fileName()));
        return ok(result);
    }

    /** Checks both limits before taking from either, so a refused send costs nothing. Called under the lock. */
    private Optional<MockResponse> rateLimit(Bot bot, long chatId) {
        if (globalPerSecond <= 0 && perChatPerSecond <= 0) {
            return Optional.empty();
        }
        long now = nanoTime();
        TokenBucket global = null;
        TokenBucket chat = null;
        double wait = 0;
        if (globalPerSecond > 0) {
            if (bot.globalBucket == null) {
                bot.globalBucket = new TokenBucket(globalPerSecond, globalBurst, now);
            }
            global = bot.globalBucket;
            wait = global.waitSeconds(now);
        }
        if (perChatPerSecond > 0) {
            chat = bot.chatBuckets.computeIfAbsent(chatId, c -> new TokenBucket(perChatPerSecond, perChatBurst, now));
            double chatWait = chat.waitSeconds(now);
            if (chatWait > 0) {
                rateLimitedPerChat++;
            }
            wait = Math.max(wait, chatWait);
        }
        if (wait > 0) {
            rateLimited++;
            long retryAfter = Math.max(1, (long) Math.ceil(wait));
            ObjectNode body = errorBody(429, "Too Many Requests: retry after " + retryAfter);
            body.putObject("parameters").put("retry_after", retryAfter);
            return Optional.of(json(429, body).addHeader("Retry-After", Long.toString(retryAfter)));
        }
        if (global != null) {
            global.take(now);
        }
        if (chat != null) {
            chat.take(now);
        }
        return Optional.empty();
    }

    /**
     * The limits' time: monotonic {@code System.nanoTime()} with the system clock (a wall clock may be stepped while
     * a load test runs), the given clock's instant otherwise, so a test moves the limits by moving its clock.
     */
    private long nanoTime() {
        if (systemClock) {
            return System.nanoTime();
        }
        Instant instant = clock.instant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private MockResponse getFile(ObjectNode p) {
        String fileId = p.path("file_id").asText("");
        String filePath;
        int size;
        lock.lock();
        try {
            filePath = filePaths.get(fileId);
            size = filePath == null ? 0 : fileContents.get(filePath).length;
        } finally {
            lock.unlock();
        }
        if (filePath == null) {
            return error(400, "Bad Request: invalid file_id");
        }
        return ok(json.createObjectNode().put("file_id", fileId).put("file_unique_id", "u" + fileId)
                .put("file_size", size).put("file_path", filePath));
    }

    private MockResponse download(String token, String filePath) {
        Bot bot = bots.get(token);
        if (bot == null || locked(() -> bot.revoked)) {
            return error(401, "Unauthorized");
        }
        byte[] bytes = locked(() -> fileContents.get(filePath));
        return bytes == null ? error(404, "Not Found")
                : new MockResponse().setBody(new Buffer().write(bytes))
                .addHeader("Content-Type", "application/octet-stream");
    }

    // ------------------------------------------------------------------ helpers

    private Bot bot(String token) {
        Bot bot = bots.get(token);
        if (bot == null) {
            throw new IllegalArgumentException("no bot with this token: give it to the builder's token(...)");
        }
        return bot;
    }

    private ObjectNode customerMessage(long userId, String displayName) {
        ObjectNode message = json.createObjectNode().put("message_id", nextMessageId(userId));
        message.set("from", user(userId, displayName).put("language_code", "en"));
        message.set("chat", chat(userId, displayName));
        message.put("date", clock.instant().getEpochSecond());
        return message;
    }

    private ObjectNode user(long userId, String displayName) {
        String[] names = names(displayName);
        ObjectNode from = json.createObjectNode().put("id", userId).put("is_bot", false).put("first_name", names[0]);
        if (names.length > 1) {
            from.put("last_name", names[1]);
        }
        return from;
    }

    private ObjectNode chat(long userId, String displayName) {
        return json.createObjectNode().put("id", userId).put("first_name", names(displayName)[0])
                .put("type", "private");
    }

    private ObjectNode update(String kind, ObjectNode value) {
        ObjectNode update = json.createObjectNode();
        update.set(kind, value);
        return update;
    }

    private static String[] names(String displayName) {
        String trimmed = displayName.strip();
        return trimmed.isEmpty() ? new String[] {"Customer"} : trimmed.split(" ", 2);
    }

    private static String username(Bot bot) {
        return bot.id == 123456789L ? "fake_test_bot" : "fake" + bot.id + "_bot";
    }

    private static long botId(String token) {
        Matcher m = Pattern.compile("(\\d{1,18}):.*").matcher(token);
        return m.matches() ? Long.parseLong(m.group(1)) : 0;
    }

    private <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
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

    private static Map<String, String> canonicalNames() {
        Map<String, String> names = new HashMap<>();
        for (String m : List.of("getUpdates", "getMe", "getWebhookInfo", "setWebhook", "deleteWebhook",
                "answerCallbackQuery", "sendChatAction", "getFile")) {
            names.put(m.toLowerCase(Locale.ROOT), m);
        }
        SEND_METHODS.forEach(m -> names.put(m.toLowerCase(Locale.ROOT), m));
        return Map.copyOf(names);
    }

    /**
     * Builds a {@link TelegramFake}; every option has a default. Options are checked at {@link #build()}, which fails
     * with an {@link IllegalArgumentException} naming the option.
     */
    public static final class Builder {
        private final List<String> tokens = new ArrayList<>();
        private Duration longPollCap = Duration.ofMillis(500);
        private Clock clock = Clock.systemUTC();
        private double globalPerSecond;
        private double globalBurst = 1;
        private double perChatPerSecond;
        private double perChatBurst = 1;

        private Builder() {
        }

        /**
         * Adds a bot the fake accepts ({@code <id>:<secret>}); the first is the default bot that the push, script
         * and inspect methods without a token act on. Without any, the fake has one bot with {@link TelegramFake#TOKEN}.
         */
        public Builder token(String token) {
            tokens.add(Objects.requireNonNull(token, "token"));
            return this;
        }

        /**
         * The longest the fake holds a getUpdates open, whatever {@code timeout} asks (Telegram: 50 s). Default
         * 500 ms, so a test's polls turn over quickly; a pushed update or close ends a poll at once anyway.
         */
        public Builder longPollCap(Duration longPollCap) {
            this.longPollCap = Objects.requireNonNull(longPollCap, "longPollCap");
            return this;
        }

        /**
         * Each bot may send {@code perSecond} messages a second overall, with bursts of {@code burst} (Telegram:
         * about 30/s); over it sends get 429 with {@code retry_after}. Default: no limit.
         */
        public Builder globalRateLimit(double perSecond, double burst) {
            this.globalPerSecond = perSecond;
            this.globalBurst = burst;
            return this;
        }

        /**
         * Each bot may send {@code perSecond} messages a second to one chat, with bursts of {@code burst} (Telegram:
         * about 1/s); over it sends get 429 with {@code retry_after}. Default: no limit.
         */
        public Builder perChatRateLimit(double perSecond, double burst) {
            this.perChatPerSecond = perSecond;
            this.perChatBurst = burst;
            return this;
        }

        /** The clock for message dates, call times and the rate limits; default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Starts the fake on a free loopback port. */
        public TelegramFake build() {
            Set<String> seen = new HashSet<>();
            for (String token : tokens) {
                if (!TOKEN_FORMAT.matcher(token).matches()) {
                    throw new IllegalArgumentException("token must look like <bot id>:<secret> (digits, a colon, "
                            + "letters, digits, _ or -)");
                }
                if (!seen.add(token)) {
                    throw new IllegalArgumentException("token given twice (bot id " + botId(token) + ")");
                }
            }
            if (longPollCap.isNegative() || longPollCap.isZero()) {
                throw new IllegalArgumentException("longPollCap must be positive: " + longPollCap);
            }
            checkRate("globalRateLimit", globalPerSecond, globalBurst);
            checkRate("perChatRateLimit", perChatPerSecond, perChatBurst);
            return new TelegramFake(this);
        }

        private static void checkRate(String option, double perSecond, double burst) {
            if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException(option + " perSecond must be 0 (no limit) or positive: "
                        + perSecond);
            }
            if (perSecond > 0 && !(burst >= 1)) {
                throw new IllegalArgumentException(option + " burst must be at least 1: " + burst);
            }
        }
    }
}
