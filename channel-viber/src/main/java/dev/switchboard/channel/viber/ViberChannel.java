package dev.switchboard.channel.viber;

import static dev.switchboard.channel.ConfigChecks.check;
import static dev.switchboard.channel.ConfigChecks.checkSecret;
import static dev.switchboard.channel.ConfigChecks.required;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.ChannelFiles;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.ChannelLifecycle;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.SendCost;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.StatefulChannel;
import dev.switchboard.content.Content;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Renderer;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Viber bot (REST Bot API) as a {@link Channel}: receives through {@link #webhook()} (mounted by the host, registered
 * with {@link #registerWebhook(String)} or at start when {@link Builder#webhookUrl} is set), every callback's signature
 * verified; answers {@code conversation_started} with the host's welcome message; sends text, pictures, videos,
 * files, stickers, locations, contacts and keyboards, with {@code sender.name} on every message. Only subscribed
 * customers can be messaged. On Viber's commercial terms (every bot created since 5 February 2024) a message inside
 * the 24-hour window the customer opened is a free session message and any other one is billed: {@link #sendCost}
 * says which, and {@code ReplyOptions.refusePaidSends()} lets a host refuse billed replies. Thread-safe; build one
 * with {@link #builder()}.
 *
 * <pre>{@code
 * ViberChannel viber = ViberChannel.builder()
 *     .id(ChannelId.of("viber-main"))
 *     .authToken(System.getenv("VIBER_TOKEN"))
 *     .senderName("Acme Support")
 *     .webhookUrl("https://example.com/webhooks/viber/viber-main")
 *     .welcome(ViberWelcome.always(Content.text("Hello! How can we help?")))
 *     .build();
 * }</pre>
 */
public final class ViberChannel implements Channel, StatefulChannel {
    private static final Logger log = LoggerFactory.getLogger(ViberChannel.class);

    private final ViberConfig config;
    private final Capabilities capabilities;
    private final ViberApi api;
    private final Clock clock;
    private final ChannelLifecycle lifecycle;
    private final ChannelHealthTracker health;
    private final ViberAccounts accounts;
    private final ViberSender sender;
    private final ViberWebhook webhook;

    private ViberChannel(ViberConfig config, OkHttpClient http, Clock clock) {
        this.config = config;
        this.clock = clock;
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        this.api = new ViberApi(http, config.apiBaseUrl(), config.authToken(), json, config.requestsPerSecond());
        this.health = new ChannelHealthTracker(clock);
        this.lifecycle = new ChannelLifecycle(config.tenant(), config.channelId(), health);
        this.accounts = new ViberAccounts(json, ChannelState.inMemory(clock), config.sessionWindow(),
                config.commercial());
        this.capabilities = capabilities(config);
        this.sender = new ViberSender(api, config, accounts, health, clock, capabilities);
        ViberInboundMapper mapper = new ViberInboundMapper(config.channelId(), config.tenant(), clock, accounts::get);
        this.webhook = new ViberWebhook(config, new ViberSignature(config.authToken()), mapper, json, clock,
                lifecycle::sink, this::observe, this::welcomeBody);
    }

    /** A builder; {@link Builder#build()} validates every option once. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What Viber allows: 7,000 characters of plain text, pictures, videos, files and stickers from URLs, keyboards of
     * 24 buttons (reply, open-url, share-phone), locations and contacts; subscribers only; the 24-hour session window
     * on commercial terms; the configured send rate.
     */
    static Capabilities capabilities(ViberConfig config) {
        Capabilities.Builder b = Capabilities.builder()
                .maxTextLength(ViberSender.MAX_TEXT, TextLengthUnit.UTF16_UNITS)
                .markup(Markup.PLAIN)
                .media(MediaKind.IMAGE, MediaKind.VIDEO, MediaKind.FILE, MediaKind.STICKER)
                .buttons(ViberSender.MAX_BUTTONS, ViberSender.MAX_LABEL)
                .cards(ViberRichMedia.LIMITS)
                .linkButtons(true)
                .sharePhoneButton(true)
                .locations(true)
                .contactCards(true)
                .readReceipts(true)
                .requiresSubscription(true)
                .receiveMode(ReceiveMode.WEBHOOK)
                // the outbox paces at the rate the wire allows (the limit over a second plus a margin for jitter)
                .globalRateLimit(new RateLimit(config.requestsPerSecond(),
                        ViberRequestSpacing.window(config.requestsPerSecond())));
        if (config.commercial()) {
            b.messagingWindow(config.sessionWindow());
        }
        return b.build();
    }

    /** The validated configuration (its {@code toString()} masks the token). */
    public ViberConfig config() {
        return config;
    }

    @Override
    public ChannelId id() {
        return config.channelId();
    }

    @Override
    public ChannelType type() {
        return ChannelType.VIBER;
    }

    @Override
    public TenantId tenant() {
        return config.tenant();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ChannelHealth health() {
        return health.snapshot();
    }

    /**
     * {@link SendCost#SESSION} when the customer wrote within the last 24 hours (a free session message),
     * {@link SendCost#PAID} otherwise on commercial terms (a billed bot-initiated message), {@link SendCost#FREE} for
     * a bot configured with {@code commercial(false)}. The customer's last message is kept in the channel state
     * ({@link #bindState}), so every node and the next run agree on the window.
     */
    /**
     * The channel's capabilities narrowed to {@code recipient}'s Viber client: no rich media (cards are degraded to
     * text and numbered choices) for a client older than API version 2. A customer the channel has not heard from
     * yet is assumed to have a current client.
     */
    @Override
    public Capabilities capabilities(ChannelAccount recipient) {
        return accounts.get(recipient.platformUserId()).apiVersion() >= ViberRichMedia.API_VERSION ? capabilities
                : capabilities.withoutCards();
    }

    @Override
    public SendCost sendCost(ChannelAccount recipient) {
        return accounts.cost(recipient.platformUserId(), clock.instant());
    }

    /**
     * Keeps what the channel knows of each customer (subscription, the start of the session window, client API
     * version, the choices last offered) in {@code state}: the inbox binds it to its store, so an unsubscribed
     * customer is not called from another node or after a restart, and {@link #sendCost} is the same everywhere.
     * Unbound, the channel keeps it in memory.
     */
    @Override
    public void bindState(ChannelState state) {
        accounts.useState(state);
    }

    /** Remembers what a callback tells the channel: subscription, last message time, client API version. */
    private void observe(ViberInboundMapper.Mapped mapped) {
        health.received();
        if (mapped.wrote()) {
            accounts.wrote(mapped.user(), mapped.event().occurredAt(), mapped.apiVersion());
        } else {
            accounts.client(mapped.user(), mapped.apiVersion());
        }
        mapped.subscription().ifPresent(s -> accounts.subscription(mapped.user(), s));
    }

    private Optional<byte[]> welcomeBody(ViberConversationStart start) {
        if (config.welcome().isEmpty()) {
            return Optional.empty();
        }
        Optional<Content> content = config.welcome().get().welcome(start);
        if (content.isEmpty() || content.get().isEmpty()) {
            return Optional.empty();
        }
        return sender.welcomeBody(Renderer.standard().render(content.get(), capabilities, id()), start);
    }

    @Override
    public CompletionStage<Void> start(InboundSink inboundSink) {
        return lifecycle.start(inboundSink, this::startRun);
    }

    private CompletionStage<Void> startRun() {
        log.info("Viber channel {}: receiving callbacks at {}", id(), webhook.path());
        CompletionStage<Void> checked = checkCredentials();
        if (config.webhookUrl().isPresent()) {
            return checked.thenCompose(v -> registerWebhook(config.webhookUrl().get()).handle((r, failure) -> {
                if (failure != null) {
                    log.warn("Viber channel {}: set_webhook failed: {}", id(), api.redact(unwrap(failure).getMessage()));
                    health.down(ChannelHealth.Problem.WEBHOOK_NOT_SET, "set_webhook failed: "
                            + api.redact(unwrap(failure).getMessage()));
                }
                return null;
            }));
        }
        return checked;
    }

    /**
     * Asks Viber about the bot with the token ({@code get_account_info}): a refused token makes the channel DOWN at
     * once rather than at the first send. The start completes either way; the health says what was found.
     */
    private CompletionStage<Void> checkCredentials() {
        return api.call("get_account_info", api.json().createObjectNode()).handle((r, failure) -> {
            Throwable cause = failure == null ? null : unwrap(failure);
            if (cause == null) {
                health.up();
            } else if (cause instanceof ViberApiError e && e.isAccountProblem()) {
                health.down(e.status() == ViberApiError.INVALID_AUTH_TOKEN ? ChannelHealth.Problem.BAD_CREDENTIALS
                        : ChannelHealth.Problem.MISCONFIGURED, e.failure().description());
                log.error("Viber channel {}: {}", id(), e.failure().description());
            } else {
                health.degraded(ChannelHealth.Problem.UNREACHABLE, api.redact(cause.getMessage()));
                log.warn("Viber channel {}: could not check the token: {}", id(), api.redact(cause.getMessage()));
            }
            return null;
        });
    }

    /**
     * Registers {@code url} (public HTTPS, where the host mounts {@link #webhook()}) with {@code set_webhook}, for
     * every event type. Viber checks it at once with a signed {@code webhook} event, which the handler answers, so the
     * host's server must already serve it. Completes when Viber accepted it.
     */
    public CompletionStage<Void> registerWebhook(String url) {
        Objects.requireNonNull(url, "url");
        ObjectNode body = api.json().createObjectNode().put("url", url).put("send_name", true)
                .put("send_photo", true);
        body.putArray("event_types").add("delivered").add("seen").add("failed").add("subscribed")
                .add("unsubscribed").add("conversation_started");
        return api.call("set_webhook", body).thenAccept(r -> log.info("Viber channel {}: webhook registered", id()));
    }

    /** Removes the webhook ({@code set_webhook} with an empty URL): Viber stops calling and refuses sends (10). */
    public CompletionStage<Void> removeWebhook() {
        return api.call("set_webhook", api.json().createObjectNode().put("url", ""))
                .thenAccept(r -> log.info("Viber channel {}: webhook removed", id()));
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
        return lifecycle.stop(() -> CompletableFuture.completedFuture(null));
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return Optional.of(webhook);
    }

    /** Fetches a picture, video or file this channel received, from the URL Viber gave (Viber expires them). */
    @Override
    public CompletionStage<FetchedMedia> fetchMedia(MediaSource.PlatformFile file) {
        Optional<ChannelException> foreign = ChannelFiles.refuseForeign(id(), file);
        if (foreign.isPresent()) {
            return CompletableFuture.failedFuture(foreign.get());
        }
        HttpUrl url = HttpUrl.parse(file.fileId());
        if (url == null) {
            return CompletableFuture.failedFuture(ViberApiError.invalid("Viber gave no download URL for "
                    + file.fileId()));
        }
        String name = url.pathSegments().isEmpty() ? "" : url.pathSegments().get(url.pathSegments().size() - 1);
        return api.download(url).thenApply(d -> new FetchedMedia(d.bytes(), d.mimeType(),
                name.isEmpty() ? Optional.empty() : Optional.of(name)));
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    @Override
    public String toString() {
        return "ViberChannel[" + id() + ", sender " + config.senderName() + ", token=***]";
    }

    /**
     * Configures a {@link ViberChannel}; {@link #build()} checks every option and names the wrong one and its value
     * (never the token). Required: id, auth token and sender name (at most 28 characters). Defaults: tenant
     * {@link TenantId#DEFAULT}, API {@code https://chatapi.viber.com/pa}, no webhook registration at start, no welcome
     * message, commercial terms with a 24-hour session window, 1 MiB callback bodies, 20 sends per second, a shared
     * OkHttp client, the system UTC clock.
     */
    public static final class Builder {
        private ChannelId id;
        private TenantId tenant = TenantId.DEFAULT;
        private String authToken;
        private String senderName;
        private String senderAvatar;
        private String apiBaseUrl = "https://chatapi.viber.com/pa";
        private String webhookUrl;
        private ViberWelcome welcome;
        private boolean commercial = true;
        private Duration sessionWindow = Duration.ofHours(24);
        private int maxWebhookBodyBytes = 1024 * 1024;
        private int requestsPerSecond = 20;
        private OkHttpClient httpClient;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The channel's id, e.g. {@code viber-main}. Required. */
        public Builder id(ChannelId id) {
            this.id = id;
            return this;
        }

        /** The tenant the channel belongs to. */
        public Builder tenant(TenantId tenant) {
            this.tenant = tenant;
            return this;
        }

        /** The bot's authentication token (the bot's "edit info" screen in the Viber admin panel). Required. */
        public Builder authToken(String authToken) {
            this.authToken = authToken;
            return this;
        }

        /** The name shown as the sender of every message, at most 28 characters. Required. */
        public Builder senderName(String senderName) {
            this.senderName = senderName;
            return this;
        }

        /** The avatar URL shown with every message (Viber recommends under 100 KB, 720x720). */
        public Builder senderAvatar(String avatarUrl) {
            this.senderAvatar = avatarUrl;
            return this;
        }

        /** Where the API methods live; {@code https://chatapi.viber.com/pa} by default. */
        public Builder apiBaseUrl(String apiBaseUrl) {
            this.apiBaseUrl = apiBaseUrl;
            return this;
        }

        /** The public HTTPS URL of {@link #webhook()} to register with {@code set_webhook} each time the channel starts. */
        public Builder webhookUrl(String url) {
            this.webhookUrl = url;
            return this;
        }

        /** The welcome message answered to {@code conversation_started}. Default: none. */
        public Builder welcome(ViberWelcome welcome) {
            this.welcome = welcome;
            return this;
        }

        /**
         * Whether the bot is on Viber's commercial terms (default true; every bot created since 5 February 2024 is):
         * then sends outside the session window are {@link SendCost#PAID}. False for a bot that is not billed.
         */
        public Builder commercial(boolean commercial) {
            this.commercial = commercial;
            return this;
        }

        /** How long after a customer's last message replies are free session messages. Default 24 hours. */
        public Builder sessionWindow(Duration window) {
            this.sessionWindow = window;
            return this;
        }

        /** Callback bodies above this are answered 413. Default 1 MiB; at least 1,024. */
        public Builder maxWebhookBodyBytes(int max) {
            this.maxWebhookBodyBytes = max;
            return this;
        }

        /** The send rate declared to the outbox. Default 20 per second. */
        public Builder requestsPerSecond(int rate) {
            this.requestsPerSecond = rate;
            return this;
        }

        /** The OkHttp client to call Viber with (proxies, timeouts). */
        public Builder httpClient(OkHttpClient client) {
            this.httpClient = client;
            return this;
        }

        /** The clock for the session window and event times (tests use a manual one). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Checks every option and builds the channel. */
        public ViberChannel build() {
            required(id, "id");
            required(tenant, "tenant");
            checkSecret(authToken != null && !authToken.isBlank() && authToken.strip().equals(authToken)
                    && authToken.length() >= 16, "authToken", authToken, "a bot authentication token");
            check(senderName != null && !senderName.isBlank()
                    && senderName.length() <= ViberConfig.MAX_SENDER_NAME, "senderName", senderName,
                    "1-" + ViberConfig.MAX_SENDER_NAME + " characters");
            check(senderAvatar == null || HttpUrl.parse(senderAvatar) != null, "senderAvatar", senderAvatar,
                    "an http(s) URL");
            HttpUrl base = apiBaseUrl == null ? null : HttpUrl.parse(apiBaseUrl);
            check(base != null, "apiBaseUrl", apiBaseUrl, "an http(s) URL");
            HttpUrl hook = webhookUrl == null ? null : HttpUrl.parse(webhookUrl);
            check(webhookUrl == null || (hook != null && hook.isHttps()), "webhookUrl", webhookUrl,
                    "an https URL (Viber calls HTTPS webhooks only)");
            check(sessionWindow != null && !sessionWindow.isNegative() && !sessionWindow.isZero(), "sessionWindow",
                    sessionWindow, "positive");
            check(maxWebhookBodyBytes >= 1024, "maxWebhookBodyBytes", maxWebhookBodyBytes, ">= 1024");
            check(requestsPerSecond >= 1, "requestsPerSecond", requestsPerSecond, ">= 1");
            required(clock, "clock");
            if (!base.pathSegments().isEmpty() && base.pathSegments().get(base.pathSegments().size() - 1).isEmpty()) {
                base = base.newBuilder().removePathSegment(base.pathSegments().size() - 1).build();
            }
            ViberConfig config = new ViberConfig(id, tenant, authToken, senderName, Optional.ofNullable(senderAvatar),
                    base, Optional.ofNullable(webhookUrl), Optional.ofNullable(welcome), commercial, sessionWindow,
                    maxWebhookBodyBytes, requestsPerSecond);
            return new ViberChannel(config, httpClient != null ? httpClient : defaultClient(), clock);
        }

        private static OkHttpClient defaultClient() {
            Dispatcher dispatcher = new Dispatcher();
            // one bot talks to one host; OkHttp's default of 5 concurrent calls per host would cap sends
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
