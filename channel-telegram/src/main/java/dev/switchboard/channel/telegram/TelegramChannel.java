package dev.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
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
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.net.URLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Telegram bot as a {@link Channel}: receives by long polling or webhook, sends text (HTML), inline and reply
 * keyboards, media by URL, file_id or upload, locations and contacts, and maps the Bot API's errors to the channel-api
 * error model. Talks to the Bot API directly with OkHttp and Jackson; the API base URL is configurable for a local
 * telegram-bot-api server or a fake. Build one with {@link #builder()}.
 *
 * <pre>{@code
 * TelegramChannel bot = TelegramChannel.builder()
 *     .id(ChannelId.of("telegram-main"))
 *     .botToken(System.getenv("TELEGRAM_TOKEN"))
 *     .mode(TelegramMode.webhook("https://example.com/webhooks/telegram/telegram-main", secret))
 *     .build();
 * }</pre>
 */
public final class TelegramChannel implements Channel {
    private static final Logger log = LoggerFactory.getLogger(TelegramChannel.class);
    private static final Pattern TOKEN = Pattern.compile("\\d{1,20}:[A-Za-z0-9_-]{30,}");

    private final TelegramConfig config;
    private final Capabilities capabilities;
    private final BotApi api;
    private final OkHttpClient pollClient;
    private final Clock clock;
    private final CallbackData callbackData = new CallbackData();
    private final UpdateMapper mapper;
    private final Sender sender;
    private final Optional<TelegramWebhook> webhook;
    private final AtomicReference<InboundSink> sink = new AtomicReference<>();
    private final AtomicReference<Poller> poller = new AtomicReference<>();
    private volatile boolean stopped;

    private TelegramChannel(TelegramConfig config, OkHttpClient http, Clock clock) {
        this.config = config;
        this.clock = clock;
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        Redactor redactor = new Redactor(config.botToken(), config.maskedToken());
        this.api = new BotApi(http, config.apiBaseUrl(), config.botToken(), json, redactor);
        this.pollClient = http.newBuilder().readTimeout(config.pollTimeout().plusSeconds(15)).build();
        this.mapper = new UpdateMapper(config.channelId(), config.tenant(), callbackData, clock);
        this.sender = new Sender(api, config.channelId(), callbackData,
                new GroupPacer(Duration.ofSeconds(3), System::nanoTime), clock);
        this.capabilities = capabilities(config.mode());
        this.webhook = config.mode() instanceof TelegramMode.Webhook
                ? Optional.of(new TelegramWebhook(config, ((TelegramMode.Webhook) config.mode()).secretToken(),
                mapper, json, clock, this::activeSink))
                : Optional.empty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What Telegram allows: 4096 UTF-16 units of HTML text, every media kind, 100 inline buttons with 64-character
     * labels, link and share-phone buttons, locations, contacts, edits, typing, reply threading; 30 messages per
     * second per bot and 1 per second per chat. Groups allow only 20 per minute, which the channel paces itself.
     */
    static Capabilities capabilities(TelegramMode mode) {
        return Capabilities.builder()
                .maxTextLength(Sender.MAX_TEXT, TextLengthUnit.UTF16_UNITS)
                .markup(Markup.HTML)
                .media(MediaKind.IMAGE, MediaKind.FILE, MediaKind.AUDIO, MediaKind.VOICE, MediaKind.VIDEO,
                        MediaKind.STICKER)
                .buttons(100, 64)
                .linkButtons(true)
                .sharePhoneButton(true)
                .locations(true)
                .contactCards(true)
                .edits(true)
                .typingIndicators(true)
                .replyThreading(true)
                .receiveMode(mode instanceof TelegramMode.Webhook ? ReceiveMode.WEBHOOK : ReceiveMode.POLLING)
                .globalRateLimit(RateLimit.perSecond(30))
                .perRecipientRateLimit(RateLimit.perSecond(1))
                .build();
    }

    public TelegramConfig config() {
        return config;
    }

    @Override
    public ChannelId id() {
        return config.channelId();
    }

    @Override
    public ChannelType type() {
        return ChannelType.TELEGRAM;
    }

    @Override
    public TenantId tenant() {
        return config.tenant();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    private InboundSink activeSink() {
        return stopped ? null : sink.get();
    }

    @Override
    public CompletionStage<Void> start(InboundSink inboundSink) {
        Objects.requireNonNull(inboundSink, "sink");
        if (stopped) {
            return CompletableFuture.failedFuture(new IllegalStateException("channel " + id() + " was stopped"));
        }
        if (!sink.compareAndSet(null, inboundSink)) {
            return CompletableFuture.failedFuture(new IllegalStateException("channel " + id() + " already started"));
        }
        if (config.mode() instanceof TelegramMode.Webhook) {
            return setWebhook();
        }
        Poller p = new Poller(config, api, pollClient, mapper, inboundSink, clock);
        poller.set(p);
        p.start();
        log.info("Telegram channel {} polling {}", id(), config.apiBaseUrl());
        return CompletableFuture.completedFuture(null);
    }

    /** Registers the webhook with Telegram: URL, secret_token and allowed_updates. Called by {@link #start}. */
    public CompletionStage<Void> setWebhook() {
        TelegramMode.Webhook mode = (TelegramMode.Webhook) config.mode();
        ObjectNode params = api.json().createObjectNode();
        params.put("url", mode.publicUrl().toString());
        params.put("secret_token", mode.secretToken());
        ArrayNode allowed = params.putArray("allowed_updates");
        config.allowedUpdates().forEach(allowed::add);
        return api.call("setWebhook", params).result.thenAccept(r ->
                log.info("Telegram channel {}: webhook set to {}", id(), mode.publicUrl()));
    }

    /**
     * Removes the webhook (to switch a bot to polling). Not called by {@link #stop}: other nodes may still serve the
     * webhook, and Telegram keeps undelivered updates while it is set.
     */
    public CompletionStage<Void> deleteWebhook() {
        return api.call("deleteWebhook", api.json().createObjectNode()).result.thenAccept(r -> { });
    }

    /** The last polling problem (e.g. a 409 conflict), cleared by the next successful poll; for health checks. */
    public Optional<String> pollingProblem() {
        Poller p = poller.get();
        return p == null ? Optional.empty() : p.lastProblem();
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
    public synchronized CompletionStage<Void> stop() {
        stopped = true;
        Poller p = poller.get();
        return p == null ? CompletableFuture.completedFuture(null) : p.stop();
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return webhook.map(w -> w);
    }

    @Override
    public CompletionStage<FetchedMedia> fetchMedia(MediaSource.PlatformFile file) {
        if (!file.channel().equals(id())) {
            return CompletableFuture.failedFuture(BotApiError.invalid("file belongs to channel " + file.channel()
                    + ", not " + id()));
        }
        ObjectNode params = api.json().createObjectNode().put("file_id", file.fileId());
        return api.call("getFile", params).result.thenCompose(result -> {
            JsonNode path = result.path("file_path");
            if (!path.isTextual() || path.asText().isEmpty()) {
                return CompletableFuture.failedFuture(BotApiError.invalid("getFile: no file_path (file over 20 MB "
                        + "or no longer available)"));
            }
            String filePath = path.asText();
            String name = filePath.substring(filePath.lastIndexOf('/') + 1);
            String mime = Optional.ofNullable(URLConnection.guessContentTypeFromName(name)).orElse(
                    name.endsWith(".oga") || name.endsWith(".ogg") ? "audio/ogg"
                            : name.endsWith(".webp") ? "image/webp" : "application/octet-stream");
            return api.download(filePath).thenApply(bytes -> new FetchedMedia(bytes, mime, Optional.of(name)));
        });
    }

    @Override
    public CompletionStage<Void> acknowledgePostback(InboundEvent.Postback postback, Optional<String> text) {
        if (postback.callbackId().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        ObjectNode params = api.json().createObjectNode().put("callback_query_id", postback.callbackId().get());
        text.ifPresent(t -> params.put("text", t.length() > 200 ? t.substring(0, 200) : t));
        return api.call("answerCallbackQuery", params).result.thenAccept(r -> { });
    }

    @Override
    public String toString() {
        return "TelegramChannel[" + id() + ", " + config.mode() + ", token=" + config.maskedToken() + "]";
    }

    /**
     * Configures a {@link TelegramChannel}; {@link #build()} checks everything and says what is wrong. Required: id
     * and bot token. Defaults: tenant {@link TenantId#DEFAULT}, api base {@code https://api.telegram.org}, polling
     * with a 30 s long-poll, a shared OkHttp client, the system UTC clock.
     */
    public static final class Builder {
        private ChannelId id;
        private TenantId tenant = TenantId.DEFAULT;
        private String botToken;
        private HttpUrl apiBaseUrl = HttpUrl.get("https://api.telegram.org/");
        private TelegramMode mode = TelegramMode.polling();
        private Duration pollTimeout = Duration.ofSeconds(30);
        private int pollLimit = 100;
        private Duration retryBackoffMin = Duration.ofSeconds(1);
        private Duration retryBackoffMax = Duration.ofSeconds(60);
        private int maxWebhookBodyBytes = 1024 * 1024;
        private OkHttpClient httpClient;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder id(ChannelId id) {
            this.id = id;
            return this;
        }

        public Builder tenant(TenantId tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder botToken(String botToken) {
            this.botToken = botToken;
            return this;
        }

        public Builder apiBaseUrl(HttpUrl apiBaseUrl) {
            this.apiBaseUrl = apiBaseUrl;
            return this;
        }

        public Builder apiBaseUrl(String apiBaseUrl) {
            HttpUrl url = HttpUrl.parse(Objects.requireNonNull(apiBaseUrl, "apiBaseUrl"));
            if (url == null) {
                throw new IllegalArgumentException("apiBaseUrl is not an http(s) URL: " + apiBaseUrl);
            }
            this.apiBaseUrl = url;
            return this;
        }

        public Builder mode(TelegramMode mode) {
            this.mode = mode;
            return this;
        }

        /** The long-poll wait sent as getUpdates' {@code timeout}; 0-50 s (Telegram caps it at 50). */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
            return this;
        }

        /** Updates per getUpdates, 1-100. */
        public Builder pollLimit(int pollLimit) {
            this.pollLimit = pollLimit;
            return this;
        }

        /** Backoff after a failed poll: starts at {@code min}, doubles up to {@code max}. */
        public Builder retryBackoff(Duration min, Duration max) {
            this.retryBackoffMin = min;
            this.retryBackoffMax = max;
            return this;
        }

        /** Webhook bodies over this size are refused with 413 (default 1 MiB; real updates are far smaller). */
        public Builder maxWebhookBodyBytes(int maxWebhookBodyBytes) {
            this.maxWebhookBodyBytes = maxWebhookBodyBytes;
            return this;
        }

        /** The OkHttp client to share (its dispatcher, pool and timeouts); a long-poll variant is derived from it. */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public TelegramChannel build() {
            if (id == null) {
                throw new IllegalStateException("id is required");
            }
            Objects.requireNonNull(tenant, "tenant");
            if (botToken == null || !TOKEN.matcher(botToken).matches()) {
                throw new IllegalStateException("botToken must look like <bot id>:<secret of 30+ characters "
                        + "[A-Za-z0-9_-]> as BotFather gives it" + (botToken == null ? " (none set)" : ""));
            }
            Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(clock, "clock");
            if (pollTimeout == null || pollTimeout.isNegative() || pollTimeout.compareTo(Duration.ofSeconds(50)) > 0) {
                throw new IllegalStateException("pollTimeout must be 0-50 s, got " + pollTimeout);
            }
            if (pollLimit < 1 || pollLimit > 100) {
                throw new IllegalStateException("pollLimit must be 1-100, got " + pollLimit);
            }
            if (retryBackoffMin == null || retryBackoffMax == null || retryBackoffMin.isNegative()
                    || retryBackoffMin.isZero() || retryBackoffMax.compareTo(retryBackoffMin) < 0) {
                throw new IllegalStateException("retryBackoff needs 0 < min <= max, got " + retryBackoffMin + ", "
                        + retryBackoffMax);
            }
            if (maxWebhookBodyBytes < 1024) {
                throw new IllegalStateException("maxWebhookBodyBytes must be >= 1024, got " + maxWebhookBodyBytes);
            }
            HttpUrl base = apiBaseUrl;
            if (!base.pathSegments().isEmpty() && base.pathSegments().get(base.pathSegments().size() - 1).isEmpty()) {
                base = base.newBuilder().removePathSegment(base.pathSegments().size() - 1).build();
            }
            OkHttpClient http = httpClient != null ? httpClient : defaultClient();
            TelegramConfig config = new TelegramConfig(id, tenant, botToken, base, mode, pollTimeout, pollLimit,
                    UpdateMapper.ALLOWED_UPDATES, retryBackoffMin, retryBackoffMax, maxWebhookBodyBytes);
            return new TelegramChannel(config, http, clock);
        }

        private static OkHttpClient defaultClient() {
            Dispatcher dispatcher = new Dispatcher();
            // one bot talks to one host; OkHttp's default of 5 concurrent calls per host would cap sends at 30/s
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
