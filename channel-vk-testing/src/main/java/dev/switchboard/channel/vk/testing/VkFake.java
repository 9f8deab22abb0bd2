package dev.switchboard.channel.vk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.testkit.PlatformFake;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Headers;
import okhttp3.MultipartReader;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;

/**
 * A fake VK API for tests, as OkHttp publishes MockWebServer: it speaks the documented wire format of API
 * {@value #API_VERSION} on a local port. Methods are {@code POST /method/<name>} with form parameters and the token as
 * {@code Authorization: Bearer} (or {@code access_token}), answered {@code {"response":...}} or
 * {@code {"error":{"error_code","error_msg"}}}. It delivers events by both receive modes (Callback API pushes to a
 * {@link WebhookHandler} or a URL, retried until answered {@code ok}; Bots Long Poll with {@code key}, {@code ts},
 * {@code wait} and {@code failed} 1/2/3), deduplicates {@code messages.send} on {@code random_id} (a repeated one is
 * answered with the message already sent, and the customer sees it once), enforces the per-token rate limit with error
 * 6, validates keyboards (911), carousel templates (100, see {@code CarouselRules}) and text length (914),
 * answers 901 for customers who denied messages, and runs the photo and document upload flows. Scripted failures (error codes, a connection dropped or held after VK accepted a
 * message) reproduce what tests need. Implements {@link PlatformFake} for the compatibility kit. Thread-safe.
 */
public final class VkFake implements PlatformFake {
    /** The API version the fake speaks. */
    public static final String API_VERSION = "5.199";
    /** The community token the fake accepts. */
    public static final String TOKEN = "vk1.a.fakeCommunityTokenForTestsOnly-0123456789abcdef";
    /** The fake community's id. */
    public static final long GROUP_ID = 229_000_001L;
    /** The Callback API secret key the fake sends with every event. */
    public static final String SECRET = "callback-Secret-0123456789";
    /** The confirmation string the fake expects and returns from groups.getCallbackConfirmationCode. */
    public static final String CONFIRMATION = "a1b2c3d4";
    /** A customer who allowed messages from the community. */
    public static final String KNOWN_RECIPIENT = "424242001";

    private static final long TS_BASE = 1000;

    /** One API method call the fake received: its name and form parameters. */
    public record ApiCall(String method, Map<String, String> params) {
        public ApiCall {
            Objects.requireNonNull(method, "method");
            params = Map.copyOf(params);
        }
    }

    /**
     * A message as the customer sees it in their dialog with the community.
     *
     * @param attachments VK attachment strings ({@code photo-229000001_1_k1}, {@code doc-229000001_2})
     * @param keyboard the keyboard JSON as sent, or empty
     * @param template the carousel template JSON as sent, or empty
     */
    public record Delivered(long messageId, String peer, String text, List<String> attachments,
                            Optional<String> keyboard, int randomId, Optional<Long> replyTo,
                            Optional<String> template) {
        public Delivered {
            attachments = List.copyOf(attachments);
        }
    }

    /** A file uploaded through the upload flow. */
    public record Upload(String kind, String fileName, byte[] bytes) {
        public Upload {
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
    private final Condition eventsArrived = lock.newCondition();
    private final CallbackPusher pusher = new CallbackPusher(Duration.ofMillis(50), 10);
    private final List<String> longPollEvents = new ArrayList<>();
    private final Map<String, String> eventsById = new HashMap<>();
    private final Deque<Integer> scriptedLongPollFailures = new ArrayDeque<>();
    private final Deque<Integer> scriptedSendErrors = new ArrayDeque<>();
    private final Deque<String> scriptedSendBehaviours = new ArrayDeque<>();
    private final Map<Integer, Delivered> byRandomId = new HashMap<>();
    private final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    private final List<SentMessage> sent = new CopyOnWriteArrayList<>();
    private final List<ApiCall> calls = new CopyOnWriteArrayList<>();
    private final List<String> longPollChecks = new CopyOnWriteArrayList<>();
    private final Set<String> deniedUsers = new HashSet<>();
    private final Deque<Long> recentCalls = new ArrayDeque<>();
    private final Map<String, Upload> uploadsByHandle = new HashMap<>();
    private final Map<String, Upload> savedFiles = new LinkedHashMap<>();
    private final Map<String, byte[]> servedFiles = new HashMap<>();
    private final AtomicInteger rateLimitErrors = new AtomicInteger();
    private final AtomicInteger longPollSessions = new AtomicInteger();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Duration longPollCap;
    private volatile int requestsPerSecond = 20;
    private volatile int floodLimit;
    private volatile String longPollKey = "key-1";
    private int keyCounter = 1;
    private long nextMessageId = 5000;
    private long nextEventCounter = 1;
    private long nextFileId = 1;
    private volatile boolean callbackMode;
    private boolean collideNextSend;

    /** A fake whose long polls answer after at most 1 s (VK waits up to {@code wait}), so tests stop quickly. */
    public VkFake() {
        this(Duration.ofSeconds(1));
    }

    /** @param longPollCap the longest the fake holds an {@code a_check} open, whatever {@code wait} asks */
    public VkFake(Duration longPollCap) {
        this.longPollCap = longPollCap;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    return VkFake.this.dispatch(request);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new MockResponse().setResponseCode(500);
                } catch (RuntimeException | IOException e) {
                    return new MockResponse().setResponseCode(500).setBody("fake failed: " + e);
                }
            }
        });
        // answers go out at once: no Nagle delay that a benchmark would count as the channel's latency
        server.setServerSocketFactory(dev.switchboard.testkit.NoDelayServerSockets.INSTANCE);
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the VK fake", e);
        }
    }

    // ------------------------------------------------------------------ configuration

    /** The URL to configure the channel's API base with: {@code http://127.0.0.1:<port>/method}. */
    public String apiBaseUrl() {
        return server.url("/method").toString();
    }

    /** The per-token limit of API calls per second; over it the fake answers error 6. 0 turns the limit off. */
    public VkFake requestsPerSecond(int limit) {
        this.requestsPerSecond = limit;
        return this;
    }

    /** After {@code identical} identical texts in a row to one customer, messages.send answers error 9. */
    public VkFake floodControlAfter(int identical) {
        this.floodLimit = identical;
        return this;
    }

    /** Events go to this handler by Callback API (in process), retried until it answers {@code ok}. */
    public void pushTo(WebhookHandler handler) {
        callbackMode = true;
        pusher.target(handler);
    }

    /** Events go to this URL by Callback API over HTTP, retried until it answers {@code ok}. */
    public void pushTo(String callbackUrl) {
        callbackMode = true;
        pusher.target(callbackUrl);
    }

    /** Binds the kit's channel: a channel with a webhook receives by Callback API, any other by long poll. */
    @Override
    public void bind(Channel channel) {
        channel.webhook().ifPresent(this::pushTo);
    }

    // ------------------------------------------------------------------ events

    /** Delivers a {@code message_new} with text from {@code platformUserId}; returns its event_id. */
    @Override
    public String deliverText(String platformUserId, String displayName, String text) {
        ObjectNode message = message(platformUserId);
        message.put("text", text);
        return deliverMessage(message, modernClient());
    }

    /**
     * Delivers a {@code message_new} with {@code message} (fields as VK sends them; {@code id}, {@code date},
     * {@code peer_id}, {@code from_id} are filled when missing) and {@code clientInfo}; returns its event_id.
     */
    public String deliverMessage(ObjectNode message, ObjectNode clientInfo) {
        ObjectNode object = json.createObjectNode();
        object.set("message", message);
        object.set("client_info", clientInfo);
        return deliverEvent("message_new", object);
    }

    /** A message from {@code user} with a fresh id and the current date, for {@link #deliverMessage}. */
    public ObjectNode message(String user) {
        ObjectNode message = json.createObjectNode();
        lock.lock();
        try {
            message.put("id", nextMessageId++);
        } finally {
            lock.unlock();
        }
        message.put("date", System.currentTimeMillis() / 1000);
        message.put("peer_id", Long.parseLong(user));
        message.put("from_id", Long.parseLong(user));
        message.put("out", 0);
        message.put("text", "");
        message.put("conversation_message_id", message.get("id").asLong() - 4000);
        message.put("version", 1);
        return message;
    }

    /** The {@code client_info} of VK's current apps: every keyboard and button action, Russian interface. */
    public ObjectNode modernClient() {
        ObjectNode info = json.createObjectNode();
        ArrayNode actions = info.putArray("button_actions");
        for (String a : List.of("text", "vkpay", "open_app", "location", "open_link", "callback", "intent_subscribe",
                "intent_unsubscribe")) {
            actions.add(a);
        }
        info.put("keyboard", true).put("inline_keyboard", true).put("carousel", true).put("lang_id", 0);
        return info;
    }

    /** A photo the fake serves at a URL of its own, as a {@code message_new} attachment. */
    public ObjectNode photoAttachment(byte[] bytes) {
        long id;
        lock.lock();
        try {
            id = nextFileId++;
            servedFiles.put("photo" + id + ".jpg", bytes.clone());
        } finally {
            lock.unlock();
        }
        ObjectNode attachment = json.createObjectNode().put("type", "photo");
        ObjectNode photo = attachment.putObject("photo").put("id", id).put("owner_id", Long.parseLong(KNOWN_RECIPIENT))
                .put("access_key", "ak" + id);
        photo.putArray("sizes").addObject().put("type", "x").put("width", 604).put("height", 480)
                .put("url", server.url("/files/photo" + id + ".jpg").toString());
        return attachment;
    }

    /** A callback-button press ({@code message_event}) from {@code user}; {@code payload} as VK sends it. */
    public String pressCallbackButton(String user, JsonNode payload) {
        ObjectNode object = json.createObjectNode();
        object.put("user_id", Long.parseLong(user));
        object.put("peer_id", Long.parseLong(user));
        object.put("event_id", "cb" + Long.toHexString(System.nanoTime()));
        object.set("payload", payload);
        object.put("conversation_message_id", 17);
        return deliverEvent("message_event", object);
    }

    /** The customer denies messages from the community: {@code message_deny}, and later sends to them get 901. */
    public String deny(String user) {
        lock.lock();
        try {
            deniedUsers.add(user);
        } finally {
            lock.unlock();
        }
        return deliverEvent("message_deny", json.createObjectNode().put("user_id", Long.parseLong(user)));
    }

    /** The customer allows messages again: {@code message_allow}. */
    public String allow(String user) {
        lock.lock();
        try {
            deniedUsers.remove(user);
        } finally {
            lock.unlock();
        }
        return deliverEvent("message_allow", json.createObjectNode().put("user_id", Long.parseLong(user))
                .put("key", "allow-key"));
    }

    /** Delivers any event {@code {type, object, group_id, event_id, v, secret}}; returns its event_id. */
    public String deliverEvent(String type, ObjectNode object) {
        String eventId;
        ObjectNode event = json.createObjectNode();
        lock.lock();
        try {
            eventId = String.format("%040x", nextEventCounter++ * 0x9E3779B97F4A7C15L & Long.MAX_VALUE);
        } finally {
            lock.unlock();
        }
        event.put("group_id", GROUP_ID);
        event.put("type", type);
        event.put("event_id", eventId);
        event.put("v", API_VERSION);
        event.set("object", object);
        String text = event.toString();
        lock.lock();
        try {
            eventsById.put(eventId, text);
        } finally {
            lock.unlock();
        }
        publish(text);
        return eventId;
    }

    /** Delivers raw text as an event (even broken JSON), by whichever mode is in use. */
    public void deliverRaw(String body) {
        publish(body);
    }

    @Override
    public void redeliver(String eventId) {
        String text;
        lock.lock();
        try {
            text = eventsById.get(eventId);
        } finally {
            lock.unlock();
        }
        if (text == null) {
            throw new IllegalArgumentException("no event " + eventId);
        }
        publish(text);
    }

    private void publish(String eventJson) {
        if (callbackMode) {
            pusher.push(withSecret(eventJson));
            return;
        }
        lock.lock();
        try {
            longPollEvents.add(eventJson);
            eventsArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private String withSecret(String eventJson) {
        try {
            JsonNode node = json.readTree(eventJson);
            if (node instanceof ObjectNode o) {
                o.put("secret", SECRET);
                return o.toString();
            }
        } catch (IOException e) {
            // broken JSON goes out as it is
        }
        return eventJson;
    }

    /** Sends VK's {@code confirmation} request to the Callback API server and returns its answer's body. */
    public String confirm() {
        ObjectNode event = json.createObjectNode().put("type", "confirmation").put("group_id", GROUP_ID)
                .put("secret", SECRET);
        return pusher.pushOnce(event.toString(), 0).body();
    }

    /** Posts {@code body} once to the Callback API server and returns status and body, e.g. to test secrets. */
    public Map.Entry<Integer, String> postOnce(String body) {
        CallbackPusher.Answer a = pusher.pushOnce(body, 0);
        return Map.entry(a.status(), a.body());
    }

    // ------------------------------------------------------------------ long poll scripting

    /** The next {@code a_check} answers {@code {"failed": code}} (1: ts out of range, 2: key expired, 3: lost). */
    public void failNextLongPoll(int code) {
        lock.lock();
        try {
            scriptedLongPollFailures.add(code);
        } finally {
            lock.unlock();
        }
    }

    /** The {@code ts} of every {@code a_check} the fake received, oldest first. */
    public List<String> longPollChecks() {
        return List.copyOf(longPollChecks);
    }

    /** How many long poll sessions ({@code groups.getLongPollServer}) the fake handed out. */
    public int longPollSessions() {
        return longPollSessions.get();
    }

    // ------------------------------------------------------------------ send scripting

    /** The next {@code times} sends are answered with VK error {@code code}. */
    public void failNextSends(int code, int times) {
        lock.lock();
        try {
            for (int i = 0; i < times; i++) {
                scriptedSendErrors.add(code);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next send is accepted (the customer sees the message) but its connection is dropped before the answer, as
     * when a timeout or a crash falls between VK's acceptance and the sender's commit.
     */
    public void dropNextSendAfterAccept() {
        lock.lock();
        try {
            scriptedSendBehaviours.add("drop");
        } finally {
            lock.unlock();
        }
    }

    /** The next send is accepted (the customer sees it) and its answer withheld until the fake is closed. */
    public void holdNextSendAfterAccept() {
        lock.lock();
        try {
            scriptedSendBehaviours.add("hold");
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next send whose {@code random_id} is new is treated as if it repeated the {@code random_id} of the message
     * delivered last, as VK treats two different messages whose {@code random_id}s happen to coincide: it is answered
     * with that message's id and delivers nothing. For tests of what the sender does about such a collision without
     * searching for two keys with the same {@code random_id}.
     */
    public void collideNextSend() {
        lock.lock();
        try {
            collideNextSend = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void failNextSendWithRateLimit(Duration retryAfter) {
        failNextSends(6, 1);
    }

    @Override
    public void failNextSendWithServerError() {
        failNextSends(10, 1);
    }

    @Override
    public void failNextSendWithPermanentError() {
        failNextSends(901, 1);
    }

    @Override
    public String knownRecipient() {
        return KNOWN_RECIPIENT;
    }

    @Override
    public List<SentMessage> sent() {
        return List.copyOf(sent);
    }

    /** What the customer {@code user} sees: each message once, whatever the retries. */
    public List<Delivered> messagesTo(String user) {
        return delivered.stream().filter(d -> d.peer().equals(user)).toList();
    }

    /** Every API method call, oldest first. */
    public List<ApiCall> calls() {
        return List.copyOf(calls);
    }

    /** The calls of one method, oldest first. */
    public List<ApiCall> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    /** How many calls the per-token rate limit refused with error 6. */
    public int rateLimitErrors() {
        return rateLimitErrors.get();
    }

    /** Files saved through the upload flow, by attachment string. */
    public Map<String, Upload> savedFiles() {
        lock.lock();
        try {
            return Map.copyOf(savedFiles);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closedLatch.countDown();
        lock.lock();
        try {
            eventsArrived.signalAll();
        } finally {
            lock.unlock();
        }
        pusher.close();
        try {
            server.shutdown();
        } catch (IOException e) {
            // closing anyway
        }
    }

    // ------------------------------------------------------------------ HTTP

    private MockResponse dispatch(RecordedRequest request) throws InterruptedException, IOException {
        String path = Objects.requireNonNull(request.getRequestUrl()).encodedPath();
        if (path.startsWith("/method/")) {
            return method(path.substring("/method/".length()), request);
        }
        if (path.equals("/lp")) {
            return longPoll(request);
        }
        if (path.startsWith("/upload/")) {
            return upload(path.substring("/upload/".length()), request);
        }
        if (path.startsWith("/files/")) {
            byte[] bytes;
            lock.lock();
            try {
                bytes = servedFiles.get(path.substring("/files/".length()));
            } finally {
                lock.unlock();
            }
            return bytes == null ? new MockResponse().setResponseCode(404)
                    : new MockResponse().setHeader("Content-Type", "image/jpeg").setBody(new Buffer().write(bytes));
        }
        return new MockResponse().setResponseCode(404);
    }

    private MockResponse method(String name, RecordedRequest request) throws InterruptedException {
        Map<String, String> params = form(request);
        calls.add(new ApiCall(name, params));
        String auth = Optional.ofNullable(request.getHeader("Authorization")).orElse("");
        String token = auth.startsWith("Bearer ") ? auth.substring(7) : params.getOrDefault("access_token", "");
        if (!TOKEN.equals(token)) {
            return error(5, "User authorization failed: invalid access_token (4).");
        }
        if (!params.containsKey("v")) {
            return error(8, "Invalid request: v (version) is required");
        }
        if (!withinRateLimit()) {
            rateLimitErrors.incrementAndGet();
            return error(6, "Too many requests per second");
        }
        return switch (name) {
            case "messages.send" -> send(params);
            case "groups.getLongPollServer" -> {
                longPollSessions.incrementAndGet();
                lock.lock();
                try {
                    ObjectNode r = json.createObjectNode().put("key", longPollKey)
                            .put("server", server.url("/lp").toString())
                            .put("ts", Long.toString(TS_BASE + longPollEvents.size()));
                    yield response(r);
                } finally {
                    lock.unlock();
                }
            }
            case "groups.getById" -> {
                ObjectNode r = json.createObjectNode();
                r.putArray("groups").addObject().put("id", GROUP_ID).put("name", "Fake community")
                        .put("screen_name", "club" + GROUP_ID).put("type", "group");
                r.putArray("profiles");
                yield response(r);
            }
            case "groups.getCallbackConfirmationCode" -> response(json.createObjectNode().put("code", CONFIRMATION));
            case "messages.sendMessageEventAnswer" -> response(json.getNodeFactory().numberNode(1));
            case "photos.getMessagesUploadServer" -> response(json.createObjectNode()
                    .put("upload_url", server.url("/upload/photo").toString()).put("album_id", -64)
                    .put("group_id", GROUP_ID));
            case "docs.getMessagesUploadServer" -> response(json.createObjectNode()
                    .put("upload_url", server.url("/upload/" + params.getOrDefault("type", "doc")).toString()));
            case "photos.saveMessagesPhoto" -> savePhoto(params);
            case "docs.save" -> saveDoc(params);
            default -> error(3, "Unknown method passed");
        };
    }

    private boolean withinRateLimit() {
        int limit = requestsPerSecond;
        if (limit <= 0) {
            return true;
        }
        long now = System.nanoTime();
        lock.lock();
        try {
            while (!recentCalls.isEmpty() && now - recentCalls.peekFirst() >= 1_000_000_000L) {
                recentCalls.pollFirst();
            }
            if (recentCalls.size() >= limit) {
                return false;
            }
            recentCalls.addLast(now);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private MockResponse send(Map<String, String> params) throws InterruptedException {
        String peer = params.get("peer_id");
        String randomIdText = params.get("random_id");
        if (peer == null || randomIdText == null) {
            return error(100, "One of the parameters specified was missing or invalid: peer_id and random_id "
                    + "are required");
        }
        int randomId;
        try {
            randomId = Integer.parseInt(randomIdText);
        } catch (NumberFormatException e) {
            return error(100, "One of the parameters specified was missing or invalid: random_id is not int32");
        }
        String text = params.getOrDefault("message", "");
        String attachment = params.getOrDefault("attachment", "");
        Optional<String> template = Optional.ofNullable(params.get("template"));
        if (text.isEmpty() && attachment.isEmpty() && !params.containsKey("lat") && template.isEmpty()) {
            return error(100, "One of the parameters specified was missing or invalid: message is empty or "
                    + "invalid");
        }
        if (text.length() > 9000) {
            return error(914, "Message is too long");
        }
        Optional<String> keyboard = Optional.ofNullable(params.get("keyboard"));
        List<String> labels = new ArrayList<>();
        if (keyboard.isPresent() && !validKeyboard(keyboard.get(), labels)) {
            return error(911, "Keyboard format is invalid");
        }
        if (template.isPresent()) {
            Optional<String> refused = CarouselRules.violation(json, template.get(), this::photoSaved,
                    this::validButton, labels);
            if (refused.isPresent()) {
                return error(100, "One of the parameters specified was missing or invalid: " + refused.get());
            }
        }
        String behaviour;
        Delivered message;
        lock.lock();
        try {
            Integer scripted = scriptedSendErrors.pollFirst();
            if (scripted != null) {
                return error(scripted, describe(scripted));
            }
            if (deniedUsers.contains(peer)) {
                return error(901, "Can't send messages for users without permission");
            }
            Delivered earlier = byRandomId.get(randomId);
            if (earlier == null && collideNextSend && !delivered.isEmpty()) {
                collideNextSend = false;
                earlier = delivered.get(delivered.size() - 1);
            }
            if (earlier != null) {
                // VK remembers random_id per sender: the retry gets the message already sent, shown once
                return response(json.getNodeFactory().numberNode(earlier.messageId()));
            }
            if (floodLimit > 0 && !text.isEmpty()) {
                List<Delivered> mine = delivered.stream().filter(d -> d.peer().equals(peer)).toList();
                int same = 0;
                for (int i = mine.size() - 1; i >= 0 && mine.get(i).text().equals(text); i--) {
                    same++;
                }
                if (same >= floodLimit) {
                    return error(9, "Flood control");
                }
            }
            Optional<Long> replyTo = Optional.ofNullable(params.get("reply_to")).map(Long::parseLong);
            List<String> attachments = attachment.isEmpty() ? List.of() : List.of(attachment.split(","));
            message = new Delivered(nextMessageId++, peer, text, attachments, keyboard, randomId, replyTo,
                    template);
            byRandomId.put(randomId, message);
            delivered.add(message);
            sent.add(new SentMessage(peer, text, labels, Long.toString(message.messageId())));
            behaviour = scriptedSendBehaviours.pollFirst();
        } finally {
            lock.unlock();
        }
        if ("drop".equals(behaviour)) {
            return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
        }
        if ("hold".equals(behaviour)) {
            closedLatch.await();
            return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
        }
        return response(json.getNodeFactory().numberNode(message.messageId()));
    }

    private static String describe(int code) {
        return switch (code) {
            case 5 -> "User authorization failed: invalid access_token (4).";
            case 6 -> "Too many requests per second";
            case 9 -> "Flood control";
            case 10 -> "Internal server error";
            case 14 -> "Captcha needed";
            case 29 -> "Rate limit reached";
            case 900 -> "Can't send messages for users from blacklist";
            case 901 -> "Can't send messages for users without permission";
            case 902 -> "Can't send messages to this user due to their privacy settings";
            default -> "Error " + code;
        };
    }

    /** VK's documented keyboard limits: inline 10 buttons (6 rows of 5), standard 40 (10 rows of 5). */
    private boolean validKeyboard(String text, List<String> labels) {
        JsonNode keyboard;
        try {
            keyboard = json.readTree(text);
        } catch (IOException e) {
            return false;
        }
        boolean inline = keyboard.path("inline").asBoolean(false);
        JsonNode rows = keyboard.path("buttons");
        if (!rows.isArray() || rows.size() > (inline ? 6 : 10)) {
            return false;
        }
        int count = 0;
        for (JsonNode row : rows) {
            if (!row.isArray() || row.size() > 5) {
                return false;
            }
            for (JsonNode button : row) {
                if (!validButton(button)) {
                    return false;
                }
                labels.add(button.path("action").path("label").asText(""));
                count++;
            }
        }
        return count <= (inline ? 10 : 40);
    }

    /** One keyboard button as VK checks it: a known type, a label of 1-40 characters, a link, a short payload. */
    private boolean validButton(JsonNode button) {
        JsonNode action = button.path("action");
        String type = action.path("type").asText("");
        String label = action.path("label").asText("");
        if (!Set.of("text", "callback", "open_link", "location").contains(type)
                || (!type.equals("location") && label.isEmpty()) || label.length() > 40) {
            return false;
        }
        if (type.equals("open_link") && !action.path("link").isTextual()) {
            return false;
        }
        return !action.has("payload") || (action.path("payload").isTextual()
                && action.path("payload").asText().length() <= 255);
    }

    /** Whether {@code photoId} ({@code <owner>_<id>}) names a photo saved through the message photo flow. */
    private boolean photoSaved(String photoId) {
        lock.lock();
        try {
            return savedFiles.keySet().stream().anyMatch(k -> k.equals("photo" + photoId)
                    || k.startsWith("photo" + photoId + "_"));
        } finally {
            lock.unlock();
        }
    }

    private MockResponse longPoll(RecordedRequest request) throws InterruptedException {
        var url = Objects.requireNonNull(request.getRequestUrl());
        if (!"a_check".equals(url.queryParameter("act"))) {
            return new MockResponse().setBody("{\"failed\":2}");
        }
        longPollChecks.add(Objects.requireNonNullElse(url.queryParameter("ts"), ""));
        long ts;
        try {
            ts = Long.parseLong(Objects.requireNonNullElse(url.queryParameter("ts"), ""));
        } catch (NumberFormatException e) {
            return json(json.createObjectNode().put("failed", 1).put("ts", Long.toString(TS_BASE)));
        }
        long waitSeconds = Math.min(90, Math.max(0, parseLong(url.queryParameter("wait"))));
        long deadline = System.nanoTime() + Math.min(TimeUnit.SECONDS.toNanos(waitSeconds), longPollCap.toNanos());
        lock.lock();
        try {
            Integer failed = scriptedLongPollFailures.pollFirst();
            if (failed != null) {
                if (failed == 2 || failed == 3) {
                    longPollKey = "key-" + (++keyCounter);
                }
                ObjectNode answer = json.createObjectNode().put("failed", failed);
                if (failed == 1) {
                    answer.put("ts", Long.toString(TS_BASE + longPollEvents.size()));
                }
                return json(answer);
            }
            if (!longPollKey.equals(url.queryParameter("key"))) {
                return json(json.createObjectNode().put("failed", 2));
            }
            if (ts < TS_BASE || ts > TS_BASE + longPollEvents.size()) {
                return json(json.createObjectNode().put("failed", 1)
                        .put("ts", Long.toString(TS_BASE + longPollEvents.size())));
            }
            while (TS_BASE + longPollEvents.size() <= ts && closedLatch.getCount() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                eventsArrived.awaitNanos(left);
            }
            ArrayNode updates = json.createArrayNode();
            for (int i = (int) (ts - TS_BASE); i < longPollEvents.size(); i++) {
                try {
                    updates.add(json.readTree(longPollEvents.get(i)));
                } catch (IOException e) {
                    updates.add(longPollEvents.get(i)); // broken JSON arrives as a string: the channel rejects it
                }
            }
            ObjectNode answer = json.createObjectNode().put("ts", Long.toString(TS_BASE + longPollEvents.size()));
            answer.set("updates", updates);
            return json(answer);
        } finally {
            lock.unlock();
        }
    }

    /** Expires the current long poll key: the next {@code a_check} with it answers {@code failed: 2}. */
    public void expireLongPollKey() {
        lock.lock();
        try {
            longPollKey = "key-" + (++keyCounter);
        } finally {
            lock.unlock();
        }
    }

    private MockResponse upload(String kind, RecordedRequest request) throws IOException {
        String contentType = Objects.requireNonNullElse(request.getHeader("Content-Type"), "");
        int b = contentType.indexOf("boundary=");
        if (b < 0) {
            return json(json.createObjectNode().put("error", "no multipart body"));
        }
        String boundary = contentType.substring(b + "boundary=".length()).replace("\"", "");
        String field = kind.equals("photo") ? "photo" : "file";
        try (MultipartReader reader = new MultipartReader(request.getBody(), boundary)) {
            MultipartReader.Part part;
            while ((part = reader.nextPart()) != null) {
                Headers headers = part.headers();
                String disposition = Objects.requireNonNullElse(headers.get("Content-Disposition"), "");
                if (disposition.contains("name=\"" + field + "\"")) {
                    String fileName = disposition.replaceAll(".*filename=\"([^\"]*)\".*", "$1");
                    byte[] bytes = part.body().readByteArray();
                    String handle;
                    lock.lock();
                    try {
                        handle = "u" + nextFileId++;
                        uploadsByHandle.put(handle, new Upload(kind, fileName, bytes));
                    } finally {
                        lock.unlock();
                    }
                    if (kind.equals("photo")) {
                        return json(json.createObjectNode().put("server", 1)
                                .put("photo", "[{\"photo\":\"" + handle + "\"}]").put("hash", "h" + handle));
                    }
                    return json(json.createObjectNode().put("file", handle));
                }
            }
        }
        return json(json.createObjectNode().put("error", "no " + field + " field"));
    }

    private MockResponse savePhoto(Map<String, String> params) {
        String photo = params.getOrDefault("photo", "");
        String handle = photo.replaceAll(".*\"photo\":\"([^\"]+)\".*", "$1");
        lock.lock();
        try {
            Upload upload = uploadsByHandle.remove(handle);
            if (upload == null || !("h" + handle).equals(params.get("hash"))) {
                return error(100, "One of the parameters specified was missing or invalid: photo or hash");
            }
            long id = nextFileId++;
            savedFiles.put("photo-" + GROUP_ID + "_" + id + "_k" + id, upload);
            ArrayNode r = json.createArrayNode();
            r.addObject().put("id", id).put("owner_id", -GROUP_ID).put("access_key", "k" + id);
            return response(r);
        } finally {
            lock.unlock();
        }
    }

    private MockResponse saveDoc(Map<String, String> params) {
        lock.lock();
        try {
            Upload upload = uploadsByHandle.remove(params.getOrDefault("file", ""));
            if (upload == null) {
                return error(100, "One of the parameters specified was missing or invalid: file");
            }
            long id = nextFileId++;
            savedFiles.put("doc-" + GROUP_ID + "_" + id, upload);
            String type = upload.kind().equals("audio_message") ? "audio_message" : "doc";
            ObjectNode r = json.createObjectNode().put("type", type);
            r.putObject(type).put("id", id).put("owner_id", -GROUP_ID)
                    .put("title", params.getOrDefault("title", upload.fileName()));
            return response(r);
        } finally {
            lock.unlock();
        }
    }

    private static Map<String, String> form(RecordedRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        var url = request.getRequestUrl();
        if (url != null) {
            for (String name : url.queryParameterNames()) {
                params.put(name, url.queryParameter(name));
            }
        }
        String body = request.getBody().readUtf8();
        if (!body.isEmpty()) {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(k, v);
            }
        }
        return params;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private MockResponse response(JsonNode value) {
        ObjectNode root = json.createObjectNode();
        root.set("response", value);
        return json(root);
    }

    private MockResponse error(int code, String message) {
        ObjectNode root = json.createObjectNode();
        root.putObject("error").put("error_code", code).put("error_msg", message)
                .putArray("request_params").addObject().put("key", "v").put("value", API_VERSION);
        return json(root);
    }

    private static MockResponse json(JsonNode body) {
        return new MockResponse().setHeader("Content-Type", "application/json; charset=utf-8")
                .setBody(body.toString());
    }
}
