package dev.switchboard.channel.vk;

import static dev.switchboard.channel.ConfigChecks.check;
import static dev.switchboard.channel.ConfigChecks.checkSecret;
import static dev.switchboard.channel.ConfigChecks.required;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.CardLimits;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.ChannelFiles;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.ChannelLifecycle;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.StatefulChannel;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VK community as a {@link Channel}: receives through the Callback API ({@link #webhook()}, mounted by the host) or
 * Bots Long Poll (run by the inbox on the node holding the channel's lease), sends text, inline and standard
 * keyboards, photos and documents (through VK's upload flow), locations and replies, each send exactly once thanks to
 * a {@code random_id} derived from the outbox row. API version {@value VkConfig#API_VERSION}, API host configurable.
 * Thread-safe; build one with {@link #builder()}.
 *
 * <pre>{@code
 * VkChannel vk = VkChannel.builder()
 *     .id(ChannelId.of("vk-main"))
 *     .groupId(229_000_000L)
 *     .accessToken(System.getenv("VK_TOKEN"))
 *     .callback(System.getenv("VK_SECRET"), System.getenv("VK_CONFIRMATION"))
 *     .build();
 * }</pre>
 */
public final class VkChannel implements Channel, StatefulChannel {
    private static final Logger log = LoggerFactory.getLogger(VkChannel.class);

    private final VkConfig config;
    private final Capabilities capabilities;
    private final VkApi api;
    private final OkHttpClient pollClient;
    private final Clock clock;
    private final ChannelLifecycle lifecycle;
    private final ChannelHealthTracker health;
    private final VkInboundMapper mapper;
    private final VkSender sender;
    private final VkAccounts accounts;
    private final Optional<VkWebhook> webhook;
    private final AtomicReference<VkPoller> longPoll = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<String>> fetchedConfirmation = new AtomicReference<>();

    private VkChannel(VkConfig config, OkHttpClient http, Clock clock) {
        this.config = config;
        this.clock = clock;
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        this.api = new VkApi(http, config.apiBaseUrl(), config.accessToken(), config.apiVersion(), json,
                config.requestsPerSecond());
        this.pollClient = http.newBuilder().readTimeout(config.longPollWait().plusSeconds(15)).build();
        this.health = new ChannelHealthTracker(clock);
        this.lifecycle = new ChannelLifecycle(config.tenant(), config.channelId(), health);
        this.mapper = new VkInboundMapper(config.channelId(), config.tenant(), config.groupId(), json, clock);
        this.accounts = new VkAccounts(json, ChannelState.inMemory(clock));
        this.sender = new VkSender(api, config, health, clock, accounts::clientInfo, accounts);
        this.capabilities = capabilities(config);
        this.webhook = config.receiveMode() == VkReceiveMode.CALLBACK
                ? Optional.of(new VkWebhook(config, mapper, json, clock, () -> lifecycle.sink().orElse(null),
                this::confirmationCode, this::observe))
                : Optional.empty();
    }

    /** A builder; {@link Builder#build()} validates every option once. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What VK allows: 9,000 characters of plain text, photos and documents, 10 buttons (an inline keyboard's limit;
     * clients without inline keyboards get a standard keyboard, which allows 40) with 40-character labels, link
     * buttons, locations, reply threading, carousels (10 cards of 3 buttons, 80-character titles and descriptions,
     * every card with the same fields), and 20 API requests per second per community token.
     */
    static Capabilities capabilities(VkConfig config) {
        return Capabilities.builder()
                .maxTextLength(VkSender.MAX_TEXT, TextLengthUnit.UTF16_UNITS)
                .markup(Markup.PLAIN)
                .media(MediaKind.IMAGE, MediaKind.FILE)
                .buttons(VkSender.MAX_INLINE_BUTTONS, VkSender.MAX_LABEL)
                .linkButtons(true)
                .locations(true)
                .replyThreading(true)
                // VK's carousel rules, so the renderer degrades what VK would refuse instead of sending it
                .cards(CardLimits.builder().maxCards(10).maxButtonsPerCard(3).maxTitleLength(80)
                        .maxDescriptionLength(80).uniformFields(true).buttonRequired(true)
                        .imageOrDescriptionRequired(true).build())
                .receiveMode(config.receiveMode() == VkReceiveMode.CALLBACK ? ReceiveMode.WEBHOOK
                        : ReceiveMode.POLLING)
                // the outbox paces at the rate the wire allows (the limit over a second plus a margin for jitter)
                .globalRateLimit(new RateLimit(config.requestsPerSecond(),
                        VkRequestSpacing.window(config.requestsPerSecond())))
                .build();
    }

    /** The validated configuration (its {@code toString()} masks the token and the secret). */
    public VkConfig config() {
        return config;
    }

    @Override
    public ChannelId id() {
        return config.channelId();
    }

    @Override
    public ChannelType type() {
        return ChannelType.VK;
    }

    @Override
    public TenantId tenant() {
        return config.tenant();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** VK answers a repeated {@code random_id} (derived from the key) with the message it already sent. */
    @Override
    public boolean deduplicatesSendsByIdempotencyKey() {
        return true;
    }

    /**
     * The capabilities for one customer, narrowed by their client's last {@code client_info}: no carousels when
     * {@code carousel} is false, no buttons when it shows neither keyboards nor inline keyboards (so the renderer
     * numbers the choices and maps a reply "2" back). A customer we have not heard from yet gets everything.
     */
    @Override
    public Capabilities capabilities(ChannelAccount recipient) {
        long user;
        try {
            user = Long.parseLong(recipient.platformUserId());
        } catch (NumberFormatException e) {
            return capabilities;
        }
        VkClientInfo client = accounts.clientInfo(user);
        Capabilities narrowed = client.carousel() ? capabilities : capabilities.withoutCards();
        return client.keyboard() || client.inlineKeyboard() ? narrowed : narrowed.withoutButtons();
    }

    @Override
    public ChannelHealth health() {
        return health.snapshot();
    }

    /**
     * Keeps what the channel knows of each customer (client_info, denied messages) in {@code state}: the inbox binds
     * it to its store, so a customer who denied messages is not called again after a restart or from another node.
     * Unbound, the channel keeps it in memory.
     */
    @Override
    public void bindState(ChannelState state) {
        accounts.useState(state);
    }

    /** Remembers what an inbound event tells the channel: the customer's client abilities and permission. */
    private void observe(VkInboundMapper.Mapped mapped) {
        long user;
        try {
            user = Long.parseLong(mapped.event().account().platformUserId());
        } catch (NumberFormatException e) {
            return;
        }
        mapped.clientInfo().ifPresent(info -> accounts.clientInfo(user, info));
        mapped.permission().ifPresent(allowed -> accounts.permission(user, allowed));
    }

    /** The configured confirmation string, else the one {@code groups.getCallbackConfirmationCode} returns. */
    private CompletionStage<String> confirmationCode() {
        if (config.confirmationCode().isPresent()) {
            return CompletableFuture.completedFuture(config.confirmationCode().get());
        }
        CompletableFuture<String> fresh = new CompletableFuture<>();
        CompletableFuture<String> existing = fetchedConfirmation.compareAndExchange(null, fresh);
        if (existing != null && !existing.isCompletedExceptionally()) {
            return existing;
        }
        if (existing != null) {
            fetchedConfirmation.set(fresh);
        }
        api.call("groups.getCallbackConfirmationCode", Map.of("group_id", Long.toString(config.groupId())))
                .whenComplete((r, t) -> {
                    if (t != null) {
                        fresh.completeExceptionally(t);
                    } else if (!r.path("code").isTextual()) {
                        fresh.completeExceptionally(VkApiError.malformed("groups.getCallbackConfirmationCode", 200,
                                "no code in the answer"));
                    } else {
                        fresh.complete(r.path("code").asText());
                    }
                });
        return fresh;
    }

    @Override
    public CompletionStage<Void> start(InboundSink inboundSink) {
        return lifecycle.start(inboundSink, () -> startRun(inboundSink));
    }

    private CompletionStage<Void> startRun(InboundSink inboundSink) {
        if (config.receiveMode() == VkReceiveMode.CALLBACK) {
            log.info("VK channel {}: receiving by Callback API at {}", id(), webhook.get().path());
            return checkCredentials();
        }
        VkPoller poll = new VkPoller(config, api, pollClient, mapper, inboundSink, clock, this::observe, health,
                config.longPollCursor());
        longPoll.set(poll);
        poll.start();
        log.info("VK channel {}: receiving by Bots Long Poll from {}", id(), config.apiBaseUrl());
        return poll.firstSession();
    }

    /**
     * Asks VK about the community with the token ({@code groups.getById}): a refused token makes the channel DOWN at
     * once rather than at the first send. The start completes either way; the health says what was found.
     */
    private CompletionStage<Void> checkCredentials() {
        return api.call("groups.getById", Map.of("group_id", Long.toString(config.groupId())))
                .handle((r, failure) -> {
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException
                            && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause == null) {
                        health.up();
                    } else if (cause instanceof VkApiError e && e.isAuthFailure()) {
                        health.down(ChannelHealth.Problem.BAD_CREDENTIALS, "VK refused the community access token "
                                + "(error 5)");
                        log.error("VK channel {}: VK refused the community access token (error 5)", id());
                    } else {
                        health.degraded(ChannelHealth.Problem.UNREACHABLE, api.redact(cause.getMessage()),
                                Optional.empty());
                        log.warn("VK channel {}: could not check the token: {}", id(),
                                api.redact(cause.getMessage()));
                    }
                    return null;
                });
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        Objects.requireNonNull(message, "message");
        try {
            return sender.send(message);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Void> stop() {
        return lifecycle.stop(() -> {
            VkPoller poll = longPoll.getAndSet(null);
            return poll == null ? CompletableFuture.completedFuture(null) : poll.stop();
        });
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return webhook.map(w -> w);
    }

    /** Fetches a photo, document, audio message or sticker this channel received, from the URL VK gave with it. */
    @Override
    public CompletionStage<FetchedMedia> fetchMedia(MediaSource.PlatformFile file) {
        Optional<ChannelException> foreign = ChannelFiles.refuseForeign(id(), file);
        if (foreign.isPresent()) {
            return CompletableFuture.failedFuture(foreign.get());
        }
        int hash = file.fileId().indexOf('#');
        HttpUrl url = hash < 0 ? null : HttpUrl.parse(file.fileId().substring(hash + 1));
        if (url == null) {
            return CompletableFuture.failedFuture(VkApiError.invalid("VK gave no download URL for "
                    + (hash < 0 ? file.fileId() : file.fileId().substring(0, hash))));
        }
        String name = url.pathSegments().isEmpty() ? "file" : url.pathSegments().get(url.pathSegments().size() - 1);
        return api.download(url).thenApply(d -> new FetchedMedia(d.bytes(), d.mimeType(),
                name.isEmpty() ? Optional.empty() : Optional.of(name)));
    }

    /**
     * Answers a callback button press with {@code messages.sendMessageEventAnswer} (VK shows the button as loading
     * for up to a minute until then): with {@code text} as a snackbar, or with no action. A postback from a standard
     * keyboard's text button needs no answer and completes immediately.
     */
    @Override
    public CompletionStage<Void> acknowledgePostback(InboundEvent.Postback postback, Optional<String> text) {
        if (postback.callbackId().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String[] parts = postback.callbackId().get().split(":");
        if (parts.length != 3) {
            return CompletableFuture.failedFuture(VkApiError.invalid("callback id '" + postback.callbackId().get()
                    + "' is not <event_id>:<user_id>:<peer_id>"));
        }
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("event_id", parts[0]);
        params.put("user_id", parts[1]);
        params.put("peer_id", parts[2]);
        text.ifPresent(t -> params.put("event_data", api.json().createObjectNode().put("type", "show_snackbar")
                .put("text", t.length() > 90 ? t.substring(0, 90) : t).toString()));
        return api.call("messages.sendMessageEventAnswer", params).thenAccept(r -> { });
    }

    @Override
    public String toString() {
        return "VkChannel[" + id() + ", group " + config.groupId() + ", " + config.receiveMode() + ", token="
                + config.maskedToken() + "]";
    }

    /**
     * Configures a {@link VkChannel}; {@link #build()} checks every option and names the wrong one and its value
     * (never the token or the secret). Required: id, group id and access token. Defaults: tenant
     * {@link TenantId#DEFAULT}, API {@code https://api.vk.ru/method}, Bots Long Poll with {@code wait=25} and a key
     * renewed every hour, 20 requests per second, a shared OkHttp client, the system UTC clock.
     */
    public static final class Builder {
        private ChannelId id;
        private TenantId tenant = TenantId.DEFAULT;
        private long groupId;
        private String accessToken;
        private String apiBaseUrl = "https://api.vk.ru/method";
        private VkReceiveMode receiveMode = VkReceiveMode.LONG_POLL;
        private String callbackSecret;
        private String confirmationCode;
        private Duration longPollWait = Duration.ofSeconds(25);
        private Duration longPollSessionMaxAge = Duration.ofHours(1);
        private Duration retryBackoffMin = Duration.ofSeconds(1);
        private Duration retryBackoffMax = Duration.ofSeconds(60);
        private int maxWebhookBodyBytes = 1024 * 1024;
        private int requestsPerSecond = 20;
        private VkLongPollCursor longPollCursor;
        private OkHttpClient httpClient;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The channel's id, e.g. {@code vk-main}. Required. */
        public Builder id(ChannelId id) {
            this.id = id;
            return this;
        }

        /** The tenant the channel belongs to. */
        public Builder tenant(TenantId tenant) {
            this.tenant = tenant;
            return this;
        }

        /** The community's id (the number in {@code club123}). Required. */
        public Builder groupId(long groupId) {
            this.groupId = groupId;
            return this;
        }

        /** The community access token with the messages, photos, docs and manage rights. Required. */
        public Builder accessToken(String accessToken) {
            this.accessToken = accessToken;
            return this;
        }

        /** Where the API methods live; {@code https://api.vk.ru/method} by default ({@code api.vk.com} also works). */
        public Builder apiBaseUrl(String apiBaseUrl) {
            this.apiBaseUrl = apiBaseUrl;
            return this;
        }

        /** Receive by Bots Long Poll (the default). */
        public Builder longPoll() {
            this.receiveMode = VkReceiveMode.LONG_POLL;
            return this;
        }

        /**
         * Receive by Callback API. {@code secret} is the community's "secret key" (required: an endpoint without one
         * accepts forged events); {@code confirmationCode} the string VK shows in the Callback API settings, or null to
         * fetch it with {@code groups.getCallbackConfirmationCode} when VK asks.
         */
        public Builder callback(String secret, String confirmationCode) {
            this.receiveMode = VkReceiveMode.CALLBACK;
            this.callbackSecret = secret;
            this.confirmationCode = confirmationCode;
            return this;
        }

        /** The {@code wait} of {@code a_check}, 1-90 s (VK recommends 25). */
        public Builder longPollWait(Duration wait) {
            this.longPollWait = wait;
            return this;
        }

        /** A long poll key older than this is replaced before VK expires it (default 1 h, at least 1 minute). */
        public Builder longPollSessionMaxAge(Duration maxAge) {
            this.longPollSessionMaxAge = maxAge;
            return this;
        }

        /**
         * Where the last committed long poll {@code ts} is kept (default: in memory, which survives a restart of the
         * channel but not of the process). Give a durable one so that a poller after a crash reads again what was
         * received but not committed.
         */
        public Builder longPollCursor(VkLongPollCursor cursor) {
            this.longPollCursor = cursor;
            return this;
        }

        /** Backoff after a failed poll: starts at {@code min}, doubles up to {@code max}. */
        public Builder retryBackoff(Duration min, Duration max) {
            this.retryBackoffMin = min;
            this.retryBackoffMax = max;
            return this;
        }

        /** Callback API bodies over this size are refused with 413 (default 1 MiB). */
        public Builder maxWebhookBodyBytes(int maxWebhookBodyBytes) {
            this.maxWebhookBodyBytes = maxWebhookBodyBytes;
            return this;
        }

        /** The token's API rate limit the outbox paces sends to (VK: 20 per second for a community token). */
        public Builder requestsPerSecond(int requestsPerSecond) {
            this.requestsPerSecond = requestsPerSecond;
            return this;
        }

        /** The OkHttp client to share (its dispatcher, pool and timeouts); a long-poll variant is derived from it. */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** The clock for event times without a VK date and for session ages. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Checks every option and builds the channel. @throws IllegalArgumentException naming the wrong option */
        public VkChannel build() {
            required(id, "id");
            required(tenant, "tenant");
            required(clock, "clock");
            check(groupId > 0, "groupId", groupId, "the community's positive id");
            checkSecret(accessToken != null && accessToken.length() >= 16
                    && accessToken.chars().noneMatch(Character::isWhitespace), "accessToken", accessToken,
                    "a community access token (16 or more characters, no whitespace)");
            HttpUrl parsed = apiBaseUrl == null ? null : HttpUrl.parse(apiBaseUrl);
            check(parsed != null, "apiBaseUrl", apiBaseUrl, "an http(s) URL");
            if (receiveMode == VkReceiveMode.CALLBACK) {
                // the callback secret is a credential: say it is missing, never what was given
                checkSecret(callbackSecret != null && !callbackSecret.isBlank(), "callbackSecret", callbackSecret,
                        "the community's Callback API secret key (the callback secret), passed to callback(secret, "
                                + "confirmationCode)");
                check(confirmationCode == null || !confirmationCode.isBlank(), "confirmationCode",
                        "'" + confirmationCode + "'", "null (fetched from VK) or not blank");
            }
            check(longPollWait != null && longPollWait.compareTo(Duration.ofSeconds(1)) >= 0
                    && longPollWait.compareTo(Duration.ofSeconds(90)) <= 0, "longPollWait", longPollWait, "1-90 s");
            check(longPollSessionMaxAge != null && longPollSessionMaxAge.compareTo(Duration.ofMinutes(1)) >= 0,
                    "longPollSessionMaxAge", longPollSessionMaxAge, "at least 1 minute");
            check(retryBackoffMin != null && retryBackoffMax != null && retryBackoffMin.compareTo(Duration.ZERO) > 0
                    && retryBackoffMax.compareTo(retryBackoffMin) >= 0, "retryBackoff",
                    retryBackoffMin + ", " + retryBackoffMax, "0 < min <= max");
            check(maxWebhookBodyBytes >= 1024, "maxWebhookBodyBytes", maxWebhookBodyBytes, ">= 1024");
            check(requestsPerSecond >= 1, "requestsPerSecond", requestsPerSecond, ">= 1");
            HttpUrl base = parsed;
            if (!base.pathSegments().isEmpty() && base.pathSegments().get(base.pathSegments().size() - 1).isEmpty()) {
                base = base.newBuilder().removePathSegment(base.pathSegments().size() - 1).build();
            }
            VkConfig config = new VkConfig(id, tenant, groupId, accessToken, base, VkConfig.API_VERSION,
                    receiveMode, Optional.ofNullable(receiveMode == VkReceiveMode.CALLBACK ? callbackSecret : null),
                    Optional.ofNullable(receiveMode == VkReceiveMode.CALLBACK ? confirmationCode : null),
                    longPollWait, longPollSessionMaxAge, longPollCursor != null ? longPollCursor
                    : VkLongPollCursor.inMemory(), retryBackoffMin, retryBackoffMax, maxWebhookBodyBytes,
                    requestsPerSecond);
            return new VkChannel(config, httpClient != null ? httpClient : defaultClient(), clock);
        }

        private static OkHttpClient defaultClient() {
            Dispatcher dispatcher = new Dispatcher();
            // one community talks to one host; OkHttp's default of 5 concurrent calls per host would cap sends
            dispatcher.setMaxRequests(64);
            dispatcher.setMaxRequestsPerHost(64);
            return new OkHttpClient.Builder().dispatcher(dispatcher)
                    .connectTimeout(Duration.ofSeconds(10))
                    .readTimeout(Duration.ofSeconds(30))
                    .writeTimeout(Duration.ofSeconds(30))
                    .build();
        }
    }
}
