package dev.switchboard.channel.viber.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.testkit.PlatformFake;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A fake Viber REST Bot API for tests, as OkHttp publishes MockWebServer, speaking the documented wire format on a local
 * port. Methods are {@code POST /pa/<method>} with a JSON body and the token in {@code X-Viber-Auth-Token}; every
 * answer is HTTP 200 with {@code {"status":N,"status_message":...}} (0 is success). Implemented: {@code set_webhook}
 * (a non-empty URL is checked at once with a signed {@code webhook} event that must be answered 200, else status 1;
 * an empty URL removes it), {@code send_message} (status 2 for a wrong token, 10 without a webhook, 3 for a missing
 * {@code sender.name}, a name over 28 characters, a text over 7,000 characters or a body over 30 KB, 5 for an unknown
 * user, 6 for a user who is not subscribed, 13 when {@code min_api_version} is above the user's client, 14 for a
 * share-phone keyboard without {@code min_api_version} 3, 12 over the per-second limit or after 100 messages to one
 * user within an hour without a message from them), {@code get_account_info}. Callbacks are signed
 * ({@code X-Viber-Content-Signature}) and sent again until answered 200, to an in-process {@link WebhookHandler} or a
 * URL; a user who writes becomes subscribed, as on Viber, and the {@code tracking_data} of the last message sent to a
 * user comes back with their next message. {@link #startConversation} returns the welcome message the webhook
 * answered with. Implements {@link PlatformFake} for the compatibility kit. Thread-safe.
 */
public final class ViberFake implements PlatformFake {
    /** The auth token the fake accepts (and signs callbacks with). */
    public static final String TOKEN = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f";
    /** A subscribed user with a current client. */
    public static final String KNOWN_RECIPIENT = "01234567890A=";
    /** The per-user limit of bot messages within an hour without a message from the user. */
    public static final int UNANSWERED_PER_HOUR = 100;

    /**
     * One message as the user received it.
     *
     * @param body the whole send_message body as sent (a welcome message has no receiver)
     * @param billed whether Viber would bill it (outside the 24-hour window the user opened)
     */
    public record Delivered(String token, String receiver, String type, String text, List<String> buttons,
                            int minApiVersion, Optional<String> trackingData, String senderName, String body,
                            boolean billed) {
        public Delivered {
            buttons = List.copyOf(buttons);
        }
    }

    /** A Viber user as the fake knows them. */
    private static final class User {
        final String name;
        int apiVersion;
        boolean subscribed;
        Instant lastMessage;
        String trackingData;
        final Deque<Instant> unanswered = new ArrayDeque<>();

        User(String name, int apiVersion, boolean subscribed) {
            this.name = name;
            this.apiVersion = apiVersion;
            this.subscribed = subscribed;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final MockWebServer server = new MockWebServer();
    private final CallbackPusher pusher = new CallbackPusher(TOKEN, Duration.ofMillis(50), 20);
    private final Clock clock;
    private final Object lock = new Object();
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, String> callbacksByToken = new HashMap<>();
    private final Deque<Integer> scriptedStatuses = new ArrayDeque<>();
    private final Deque<Long> recentSends = new ArrayDeque<>();
    private final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    private final List<Delivered> welcomes = new CopyOnWriteArrayList<>();
    private final List<SentMessage> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger tooManyRequests = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int requestsPerSecond;
    private volatile Optional<String> webhookUrl = Optional.empty();
    private volatile boolean webhookSet;
    private long nextToken = 5_000_000_000_000_000_001L;

    /** A fake on the system clock (the hour and 24-hour rules). */
    public ViberFake() {
        this(Clock.systemUTC());
    }

    /** A fake whose hour and 24-hour rules run on {@code clock} (a {@code ManualClock} in tests). */
    public ViberFake(Clock clock) {
        this.clock = clock;
        users.put(KNOWN_RECIPIENT, new User("Known Customer", 7, true));
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    return ViberFake.this.dispatch(request);
                } catch (RuntimeException | IOException e) {
                    return new MockResponse().setResponseCode(500).setBody("fake failed: " + e);
                }
            }
        });
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Viber fake", e);
        }
    }

    // ------------------------------------------------------------------ configuration

    /** The URL to configure the channel's API base with: {@code http://127.0.0.1:<port>/pa}. */
    public String apiBaseUrl() {
        return server.url("/pa").toString();
    }

    /** At most {@code limit} send_message calls in any second; over it status 12. 0 (the default) turns it off. */
    public ViberFake requestsPerSecond(int limit) {
        this.requestsPerSecond = limit;
        return this;
    }

    /** Callbacks go to this handler (in process); the webhook counts as set, as after a successful set_webhook. */
    public void pushTo(WebhookHandler handler) {
        pusher.target(handler);
        webhookSet = true;
    }

    /** Callbacks go to this URL over HTTP; the webhook counts as set. */
    public void pushTo(String url) {
        pusher.target(url);
        webhookSet = true;
        webhookUrl = Optional.of(url);
    }

    /** Binds the kit's channel: callbacks go to its webhook handler. */
    @Override
    public void bind(Channel channel) {
        channel.webhook().ifPresent(this::pushTo);
    }

    /** Adds a user (not subscribed until {@link #subscribe} or their first message). */
    public void addUser(String id, String name, int apiVersion) {
        synchronized (lock) {
            users.put(id, new User(name, apiVersion, false));
        }
    }

    /** The URL registered with set_webhook, if any. */
    public Optional<String> webhookUrl() {
        return webhookSet ? webhookUrl : Optional.empty();
    }

    // ------------------------------------------------------------------ callbacks

    @Override
    public String deliverText(String platformUserId, String displayName, String text) {
        return deliverMessage(platformUserId, displayName, json.createObjectNode().put("type", "text")
                .put("text", text));
    }

    /** The user sends {@code message} ({@code {"type":..., ...}}); returns the callback's message_token. */
    public String deliverMessage(String userId, String displayName, ObjectNode message) {
        ObjectNode callback;
        String token;
        synchronized (lock) {
            User user = users.computeIfAbsent(userId, id -> new User(displayName, 7, true));
            user.subscribed = true;
            user.lastMessage = clock.instant();
            user.unanswered.clear();
            if (user.trackingData != null && !message.has("tracking_data")) {
                message.put("tracking_data", user.trackingData);
            }
            token = Long.toUnsignedString(nextToken++);
            callback = envelope("message", token);
            ObjectNode sender = callback.putObject("sender").put("id", userId)
                    .put("name", displayName.isEmpty() ? user.name : displayName)
                    .put("avatar", "https://media-direct.cdn.viber.com/avatar/" + userId.hashCode())
                    .put("language", "ru").put("country", "RU").put("api_version", user.apiVersion);
            Objects.requireNonNull(sender);
            callback.set("message", message);
            callback.put("silent", false);
        }
        return publish(token, callback);
    }

    /** The user opens the chat (optionally with a deep link's context); returns the webhook's answer (the welcome). */
    public Optional<JsonNode> startConversation(String userId, String name, Optional<String> context) {
        ObjectNode callback;
        boolean subscribed;
        synchronized (lock) {
            User user = users.computeIfAbsent(userId, id -> new User(name, 7, false));
            subscribed = user.subscribed;
            callback = envelope("conversation_started", Long.toUnsignedString(nextToken++));
            callback.put("type", "open");
            context.ifPresent(c -> callback.put("context", c));
            callback.putObject("user").put("id", userId).put("name", user.name).put("language", "ru")
                    .put("country", "RU").put("api_version", user.apiVersion);
            callback.put("subscribed", subscribed);
        }
        CallbackPusher.Answer answer = pusher.pushOnce(callback.toString());
        if (!answer.ok() || answer.body().length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode welcome = json.readTree(answer.body());
            if (welcome.has("receiver")) {
                throw new IllegalStateException("a welcome message must not name a receiver: " + answer.text());
            }
            String problem = problem(welcome, answer.body().length);
            if (problem != null) {
                throw new IllegalStateException("Viber would refuse this welcome message: " + problem);
            }
            welcomes.add(record(welcome, "welcome", userId, answer.text(), false));
            return Optional.of(welcome);
        } catch (IOException e) {
            throw new IllegalStateException("the welcome message is not JSON: " + answer.text(), e);
        }
    }

    /** The user subscribes (a {@code subscribed} callback). */
    public String subscribe(String userId, String name) {
        ObjectNode callback;
        String token;
        synchronized (lock) {
            User user = users.computeIfAbsent(userId, id -> new User(name, 7, false));
            user.subscribed = true;
            token = Long.toUnsignedString(nextToken++);
            callback = envelope("subscribed", token);
            callback.putObject("user").put("id", userId).put("name", user.name).put("api_version", user.apiVersion);
        }
        return publish(token, callback);
    }

    /** The user unsubscribes (an {@code unsubscribed} callback); sends to them then fail with status 6. */
    public String unsubscribe(String userId) {
        ObjectNode callback;
        String token;
        synchronized (lock) {
            User user = users.get(userId);
            if (user != null) {
                user.subscribed = false;
            }
            token = Long.toUnsignedString(nextToken++);
            callback = envelope("unsubscribed", token);
            callback.put("user_id", userId);
        }
        return publish(token, callback);
    }

    /** A {@code delivered}, {@code seen} or {@code failed} receipt of a message the bot sent. */
    public void receipt(String event, String messageToken, String userId) {
        ObjectNode callback = envelope(event, messageToken);
        callback.put("user_id", userId);
        if (event.equals("failed")) {
            callback.put("desc", "failure description");
        }
        pusher.push(callback.toString());
    }

    /** Posts {@code body} once with the given signature (null: none) and returns the HTTP status. */
    public int postOnce(String body, String signature) {
        return pusher.pushOnce(body.getBytes(StandardCharsets.UTF_8), signature).status();
    }

    /** Posts {@code body} once, correctly signed, and returns the HTTP status. */
    public int postSigned(String body) {
        return pusher.pushOnce(body).status();
    }

    /** The signature Viber sends for {@code body}. */
    public String sign(byte[] body) {
        return pusher.sign(body);
    }

    @Override
    public void redeliver(String eventId) {
        String body;
        synchronized (lock) {
            body = callbacksByToken.get(eventId);
        }
        if (body == null) {
            throw new IllegalArgumentException("no callback with message_token " + eventId);
        }
        pusher.push(body);
    }

    private ObjectNode envelope(String event, String token) {
        ObjectNode callback = json.createObjectNode().put("event", event)
                .put("timestamp", clock.millis()).put("chat_hostname", "SN-CHAT-05_");
        // message tokens exceed 2^53: written as JSON numbers with every digit
        callback.set("message_token", json.getNodeFactory().numberNode(new java.math.BigInteger(token)));
        return callback;
    }

    private String publish(String token, ObjectNode callback) {
        String body = callback.toString();
        synchronized (lock) {
            callbacksByToken.put(token, body);
        }
        pusher.push(body);
        return token;
    }

    // ------------------------------------------------------------------ scripting and inspection

    /** The next {@code times} send_message calls are answered with {@code status}. */
    public void failNextSends(int status, int times) {
        synchronized (lock) {
            for (int i = 0; i < times; i++) {
                scriptedStatuses.add(status);
            }
        }
    }

    /** Status 12; Viber gives no retry-after, so {@code retryAfter} is not sent. */
    @Override
    public void failNextSendWithRateLimit(Duration retryAfter) {
        failNextSends(12, 1);
    }

    /** HTTP 500, as when Viber's front fails. */
    @Override
    public void failNextSendWithServerError() {
        failNextSends(-500, 1);
    }

    /** Status 6: the receiver is not subscribed. */
    @Override
    public void failNextSendWithPermanentError() {
        failNextSends(6, 1);
    }

    @Override
    public String knownRecipient() {
        return KNOWN_RECIPIENT;
    }

    @Override
    public List<SentMessage> sent() {
        return List.copyOf(sent);
    }

    /** Every message delivered by send_message, oldest first. */
    public List<Delivered> delivered() {
        return List.copyOf(delivered);
    }

    /** The welcome messages the webhook answered {@code conversation_started} with. */
    public List<Delivered> welcomes() {
        return List.copyOf(welcomes);
    }

    /** How many send_message calls were answered status 12. */
    public int tooManyRequests() {
        return tooManyRequests.get();
    }

    /** How many API calls the fake answered. */
    public int calls() {
        return calls.get();
    }

    /** Whether the user is subscribed. */
    public boolean subscribed(String userId) {
        synchronized (lock) {
            User user = users.get(userId);
            return user != null && user.subscribed;
        }
    }

    @Override
    public void close() {
        pusher.close();
        try {
            server.shutdown();
        } catch (IOException e) {
            // closing a test fake never fails the test
        }
    }

    // ------------------------------------------------------------------ the API

    private MockResponse dispatch(RecordedRequest request) throws IOException {
        calls.incrementAndGet();
        String path = request.getPath() == null ? "" : request.getPath();
        if (!path.startsWith("/pa/")) {
            return new MockResponse().setResponseCode(404);
        }
        String method = path.substring(4);
        if (!TOKEN.equals(request.getHeader("X-Viber-Auth-Token"))) {
            return status(2, "invalidAuthToken");
        }
        byte[] bytes = request.getBody().readByteArray();
        JsonNode body;
        try {
            body = json.readTree(bytes);
        } catch (IOException e) {
            return status(3, "badData: body is not JSON");
        }
        if (body == null || !body.isObject()) {
            return status(3, "badData: body is not a JSON object");
        }
        return switch (method) {
            case "set_webhook" -> setWebhook(body);
            case "send_message" -> sendMessage(body, bytes);
            case "get_account_info" -> answer(json.createObjectNode().put("status", 0).put("status_message", "ok")
                    .put("id", "pa:75346594275468546724").put("name", "Fake bot").put("uri", "fakebot")
                    .put("subscribers_count", users.size()));
            default -> status(3, "badData: unknown method " + method);
        };
    }

    private MockResponse setWebhook(JsonNode body) {
        String url = body.path("url").asText("");
        if (url.isEmpty()) {
            webhookSet = false;
            webhookUrl = Optional.empty();
            return status(0, "ok");
        }
        if (!url.startsWith("https://")) {
            return status(1, "invalidUrl: HTTPS only");
        }
        if (!pusher.hasTarget()) {
            pusher.target(url);
        }
        ObjectNode check = json.createObjectNode().put("event", "webhook").put("timestamp", clock.millis())
                .put("chat_hostname", "SN-CHAT-05_");
        synchronized (lock) {
            check.set("message_token", json.getNodeFactory().numberNode(
                    new java.math.BigInteger(Long.toUnsignedString(nextToken++))));
        }
        CallbackPusher.Answer answer = pusher.pushOnce(check.toString());
        if (!answer.ok()) {
            return status(1, "invalidUrl: the webhook check was answered " + answer.status());
        }
        webhookSet = true;
        webhookUrl = Optional.of(url);
        ObjectNode ok = json.createObjectNode().put("status", 0).put("status_message", "ok");
        ok.putArray("event_types").add("delivered").add("seen").add("failed").add("subscribed")
                .add("unsubscribed").add("conversation_started");
        return answer(ok);
    }

    private MockResponse sendMessage(JsonNode body, byte[] raw) {
        Integer scripted;
        synchronized (lock) {
            scripted = scriptedStatuses.poll();
        }
        if (scripted != null && scripted == -500) {
            return new MockResponse().setResponseCode(500).setBody("Internal Server Error");
        }
        if (scripted != null) {
            if (scripted == 12) {
                tooManyRequests.incrementAndGet();
            }
            return status(scripted, "scripted failure");
        }
        if (!webhookSet) {
            return status(10, "webhookNotSet");
        }
        String problem = problem(body, raw.length);
        if (problem != null) {
            return status(3, "badData: " + problem);
        }
        String receiver = body.path("receiver").asText("");
        if (receiver.isEmpty()) {
            return status(4, "missingData: receiver");
        }
        synchronized (lock) {
            if (overRate()) {
                tooManyRequests.incrementAndGet();
                return status(12, "tooManyRequests");
            }
            User user = users.get(receiver);
            if (user == null) {
                return status(5, "receiverNotRegistered");
            }
            if (!user.subscribed) {
                return status(6, "receiverNotSubscribed");
            }
            int min = body.path("min_api_version").asInt(1);
            if (min > user.apiVersion) {
                return status(13, "apiVersionNotSupported: the receiver's client has API version "
                        + user.apiVersion);
            }
            if (sharePhone(body) && min < 3) {
                return status(14, "incompatibleWithVersion: share-phone needs min_api_version 3");
            }
            Instant now = clock.instant();
            while (!user.unanswered.isEmpty() && !user.unanswered.peekFirst().isAfter(now.minus(Duration.ofHours(1)))) {
                user.unanswered.pollFirst();
            }
            if (user.unanswered.size() >= UNANSWERED_PER_HOUR) {
                tooManyRequests.incrementAndGet();
                return status(12, "tooManyRequests: " + UNANSWERED_PER_HOUR + " messages to this user within an "
                        + "hour without a reply");
            }
            user.unanswered.addLast(now);
            boolean billed = user.lastMessage == null || !now.isBefore(user.lastMessage.plus(Duration.ofHours(24)));
            String token = Long.toUnsignedString(nextToken++);
            if (body.path("tracking_data").isTextual()) {
                user.trackingData = body.path("tracking_data").asText();
            }
            Delivered d = record(body, token, receiver, new String(raw, StandardCharsets.UTF_8), billed);
            delivered.add(d);
            sent.add(new SentMessage(receiver, d.text(), d.buttons(), token));
            ObjectNode ok = json.createObjectNode().put("status", 0).put("status_message", "ok")
                    .put("chat_hostname", "SN-CHAT-05_").put("billing_status", billed ? 2 : 1);
            ok.set("message_token", json.getNodeFactory().numberNode(new java.math.BigInteger(token)));
            return answer(ok);
        }
    }

    /** What Viber would refuse in a message body with status 3, or null. */
    private static String problem(JsonNode body, int bytes) {
        if (bytes > 30 * 1024) {
            return "body of " + bytes + " bytes, over 30 KB";
        }
        String name = body.path("sender").path("name").asText("");
        if (name.isEmpty() || name.length() > 28) {
            return "sender.name must be 1-28 characters, got '" + name + "'";
        }
        String type = body.path("type").asText("");
        if (type.equals("text") && (body.path("text").asText("").isEmpty()
                || body.path("text").asText().length() > 7000)) {
            return "text must be 1-7000 characters";
        }
        if ((type.equals("picture") || type.equals("video") || type.equals("file") || type.equals("url"))
                && body.path("media").asText("").isEmpty()) {
            return type + " without media";
        }
        if ((type.equals("video") || type.equals("file")) && !body.path("size").canConvertToLong()) {
            return type + " without size";
        }
        if (type.isEmpty()) {
            return "no type";
        }
        if (type.equals("rich_media")) {
            return richMediaProblem(body);
        }
        return null;
    }

    /** Viber's rules for a rich media message (status 3 when broken). */
    private static String richMediaProblem(JsonNode body) {
        JsonNode rich = body.path("rich_media");
        if (body.path("min_api_version").asInt(1) < 2) {
            return "rich_media needs min_api_version 2 or more";
        }
        int columns = rich.path("ButtonsGroupColumns").asInt(6);
        int rows = rich.path("ButtonsGroupRows").asInt(7);
        if (columns < 1 || columns > 6 || rows < 1 || rows > 7) {
            return "rich_media ButtonsGroupColumns must be 1-6 and ButtonsGroupRows 1-7";
        }
        JsonNode buttons = rich.path("Buttons");
        if (!buttons.isArray() || buttons.isEmpty() || buttons.size() > 6 * columns * rows) {
            return "rich_media Buttons must hold 1 to " + (6 * columns * rows) + " buttons";
        }
        for (JsonNode b : buttons) {
            int c = b.path("Columns").asInt(6);
            int r = b.path("Rows").asInt(1);
            if (c < 1 || c > columns || r < 1 || r > rows) {
                return "rich_media button of " + c + "x" + r + " does not fit a " + columns + "x" + rows + " block";
            }
            if (b.path("Text").asText("").length() > 250) {
                return "rich_media button Text over 250 characters";
            }
            String action = b.path("ActionType").asText("reply");
            if (!Set.of("reply", "open-url", "none", "location-picker", "share-phone").contains(action)) {
                return "rich_media button ActionType " + action + " is not known";
            }
            if (!action.equals("none") && b.path("ActionBody").asText("").isEmpty()) {
                return "rich_media button without ActionBody";
            }
        }
        return null;
    }

    private static boolean sharePhone(JsonNode body) {
        for (JsonNode b : body.path("keyboard").path("Buttons")) {
            if ("share-phone".equals(b.path("ActionType").asText())) {
                return true;
            }
        }
        return false;
    }

    private boolean overRate() {
        int limit = requestsPerSecond;
        if (limit <= 0) {
            return false;
        }
        long now = System.nanoTime();
        while (!recentSends.isEmpty() && now - recentSends.peekFirst() >= 1_000_000_000L) {
            recentSends.pollFirst();
        }
        if (recentSends.size() >= limit) {
            return true;
        }
        recentSends.addLast(now);
        return false;
    }

    private Delivered record(JsonNode body, String token, String receiver, String raw, boolean billed) {
        String type = body.path("type").asText("");
        String text;
        text = switch (type) {
            case "text", "picture" -> body.path("text").asText("");
            case "location" -> body.path("location").path("lat").asText() + ","
                    + body.path("location").path("lon").asText();
            case "contact" -> body.path("contact").path("name").asText("") + " "
                    + body.path("contact").path("phone_number").asText("");
            case "sticker" -> "[sticker " + body.path("sticker_id").asText() + "]";
            default -> body.path("media").asText("");
        };
        List<String> buttons = new ArrayList<>();
        for (JsonNode b : body.path("keyboard").path("Buttons")) {
            buttons.add(b.path("Text").asText(""));
        }
        if (type.equals("rich_media")) {
            // the cells' texts make the message's text; its reply buttons are what the customer can press
            List<String> texts = new ArrayList<>();
            for (JsonNode b : body.path("rich_media").path("Buttons")) {
                if (b.path("ActionType").asText("").equals("reply")) {
                    buttons.add(b.path("ActionBody").asText(""));
                } else if (b.hasNonNull("Text")) {
                    texts.add(b.path("Text").asText(""));
                }
            }
            text = String.join("\n", texts);
        }
        return new Delivered(token, receiver, type, text, buttons, body.path("min_api_version").asInt(1),
                body.path("tracking_data").isTextual() ? Optional.of(body.path("tracking_data").asText())
                        : Optional.empty(), body.path("sender").path("name").asText(""), raw, billed);
    }

    private MockResponse status(int status, String message) {
        return answer(json.createObjectNode().put("status", status).put("status_message", message));
    }

    private static MockResponse answer(ObjectNode body) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }
}
