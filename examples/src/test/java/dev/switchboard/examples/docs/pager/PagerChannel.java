package dev.switchboard.examples.docs.pager;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.ChannelFiles;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.ChannelLifecycle;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Bubble;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import static dev.switchboard.channel.ConfigChecks.check;
import static dev.switchboard.channel.ConfigChecks.checkSecret;
import static dev.switchboard.channel.ConfigChecks.required;

/**
 * The channel docs/write-your-own-channel.md builds for the imaginary platform Pager: webhooks in, a JSON REST API out.
 * Its samples are the regions between the markers here and in the other classes of this package. Text bubbles only;
 * {@code send} is thread-safe.
 */
public final class PagerChannel implements Channel {

    // ---- doc snippet begins
    static final Capabilities CAPABILITIES = Capabilities.builder()
            .maxTextLength(2000, TextLengthUnit.CODE_POINTS)   // how Pager counts: code points, not UTF-16 units
            .markup(Markup.HTML)                               // or PLAIN, TELEGRAM_MARKDOWN_V2
            .media(MediaKind.IMAGE, MediaKind.FILE)
            .buttons(3, 20)                                    // 0 buttons: choices degrade to "1. … 2. …"
            .linkButtons(true)
            .receiveMode(ReceiveMode.WEBHOOK)                  // WEBHOOK, POLLING (run under a cluster lease) or PUSH
            .globalRateLimit(RateLimit.perSecond(20))
            .perRecipientRateLimit(RateLimit.perSecond(1))
            .build();
    // ---- doc snippet ends

    private final ObjectMapper json = new ObjectMapper();
    private final PagerConfig config;
    private final Clock clock;
    private final PagerHttp http;

    // ---- doc snippet begins
    private final ChannelHealthTracker health;
    private final ChannelLifecycle lifecycle;
    private final PagerWebhook webhook;

    private PagerChannel(PagerConfig config, HttpClient httpClient, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.http = new PagerHttp(httpClient, config.apiToken());
        this.health = new ChannelHealthTracker(clock);           // outlives every run, like the configuration
        this.lifecycle = new ChannelLifecycle(config.tenant(), config.channelId(), health);
        this.webhook = new PagerWebhook(config, lifecycle, new PagerInboundMapper(config), clock);
    }

    @Override
    public CompletionStage<Void> start(InboundSink sink) {
        return lifecycle.start(sink, () -> {                 // fails with IllegalStateException while running
            health.up();                                     // from now on the webhook hands updates to this sink
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletionStage<Void> stop() {
        return lifecycle.stop(() -> CompletableFuture.completedFuture(null));   // once per run; the webhook answers 503
    }
    // ---- doc snippet ends

    public static Builder builder() {
        return new Builder();
    }

    /** The validated configuration; its {@code toString()} masks the token and the webhook secret. */
    public PagerConfig config() {
        return config;
    }

    @Override
    public ChannelId id() {
        return config.channelId();
    }

    @Override
    public ChannelType type() {
        return ChannelType.of("pager");
    }

    @Override
    public TenantId tenant() {
        return config.tenant();
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return Optional.of(webhook);
    }

    @Override
    public ChannelHealth health() {
        return health.snapshot();
    }

    // ---- doc snippet begins
    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        if (!(message.bubble() instanceof Bubble.TextBubble text)) {
            return CompletableFuture.failedFuture(new ChannelException(SendFailure.of(FailureKind.INVALID_REQUEST,
                    null, "Pager cannot send " + message.bubble().getClass().getSimpleName())));
        }
        ObjectNode body = json.createObjectNode()
                .put("to", message.recipient().platformUserId())
                .put("text", text.formatted())                       // escaped for the declared Markup; see below
                .put("client_ref", message.idempotencyKey());        // if the platform dedupes: exactly-once sends
        return http.post(config.apiBase().resolve("/v1/messages"), body, config.sendTimeout())
                .thenApply(res -> new SendReceipt(res.path("message_id").asText(), clock.instant()))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(toChannelException(e)));
    }
    // ---- doc snippet ends

    @Override
    public CompletionStage<FetchedMedia> fetchMedia(MediaSource.PlatformFile file) {
        // ---- doc snippet begins
        Optional<ChannelException> foreign = ChannelFiles.refuseForeign(id(), file);
        if (foreign.isPresent()) {
            return CompletableFuture.failedFuture(foreign.get());   // non-retryable, names both channels
        }
        // ---- doc snippet ends
        return Channel.super.fetchMedia(file);   // Pager has no files to fetch
    }

    @Override
    public String toString() {
        return "PagerChannel[" + config + "]";
    }

    /** Pager's answers as the failure kinds the outbox acts on; the token never appears in them. */
    private static ChannelException toChannelException(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (!(cause instanceof PagerHttp.Refused refused)) {
            return new ChannelException(SendFailure.of(FailureKind.UNAVAILABLE, null,
                    "Pager unreachable: " + cause.getClass().getSimpleName()), cause);
        }
        if (refused.status == 429) {
            return new ChannelException(SendFailure.rateLimited(refused.retryAfter.orElse(Duration.ofSeconds(1)),
                    refused.code, "rate limited"));
        }
        FailureKind kind = refused.status >= 500 ? FailureKind.UNAVAILABLE
                : refused.status == 401 || refused.status == 403 ? FailureKind.UNAUTHORIZED
                : refused.status == 404 || refused.status == 410 ? FailureKind.RECIPIENT_UNREACHABLE
                : FailureKind.INVALID_REQUEST;
        return new ChannelException(SendFailure.of(kind, refused.code, "Pager answered " + refused.status));
    }

    /** Setters only record; {@link #build()} checks every option once. */
    public static final class Builder {
        private ChannelId id;
        private TenantId tenant = TenantId.DEFAULT;
        private URI apiBase = URI.create("https://api.pager.example");
        private String apiToken;
        private byte[] webhookSecret;
        private Duration sendTimeout = Duration.ofSeconds(10);
        private HttpClient httpClient = HttpClient.newHttpClient();
        private Clock clock = Clock.systemUTC();

        public Builder id(ChannelId id) {
            this.id = id;
            return this;
        }

        public Builder tenant(TenantId tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder apiBase(URI apiBase) {
            this.apiBase = apiBase;
            return this;
        }

        public Builder apiToken(String apiToken) {
            this.apiToken = apiToken;
            return this;
        }

        public Builder webhookSecret(byte[] webhookSecret) {
            this.webhookSecret = webhookSecret == null ? null : webhookSecret.clone();
            return this;
        }

        public Builder sendTimeout(Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
            return this;
        }

        /** Shared by every Pager channel of the host; not part of the configuration. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        // ---- doc snippet begins
        // in PagerChannel.Builder
        public PagerChannel build() {
            required(id, "id");
            required(tenant, "tenant");
            checkSecret(apiToken != null && !apiToken.isBlank(), "apiToken", apiToken,
                    "the token from Pager → Settings → API tokens");
            check(webhookSecret != null && webhookSecret.length >= 16, "webhookSecret",
                    webhookSecret == null ? "none" : webhookSecret.length + " bytes", "at least 16 bytes");
            check(apiBase != null && apiBase.isAbsolute(), "apiBase", apiBase, "an absolute http(s) URI");
            check(sendTimeout != null && !sendTimeout.isNegative() && !sendTimeout.isZero(), "sendTimeout", sendTimeout,
                    "positive");
            return new PagerChannel(new PagerConfig(id, tenant, apiBase, apiToken, webhookSecret, sendTimeout), httpClient,
                    clock);
        }
        // ---- doc snippet ends
    }
}
