package dev.switchboard.channel.telegram;

import static dev.switchboard.channel.ConfigChecks.check;
import static dev.switchboard.channel.ConfigChecks.checkSecret;
import static dev.switchboard.channel.ConfigChecks.required;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.DepartureSpacing;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.ChannelFiles;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.ChannelLifecycle;
import dev.switchboard.channel.FailureKind;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Telegram bot as a {@link Channel}: receives by long polling or webhook, sends text (HTML), inline and reply
 * keyboards, media by URL, file_id or upload, locations and contacts, and maps the Bot API's errors to the channel-api
 * error model. Talks to the Bot API directly with OkHttp and Jackson; the API base URL is configurable for a local
 * telegram-bot-api server or a fake. Build one with {@link #builder()}. Channels share their HTTP resources through a
 * {@link TelegramTransport}; a channel can be started again after {@link #stop()} and reports its
 * {@link #health()}. Thread-safe.
 *
 * <pre>{@code
 * TelegramChannel bot = TelegramChannel.builder()
 *     .id(ChannelId.of("telegram-main"))
 *     .botToken(System.getenv("TELEGRAM_TOKEN"))
 *     .mode(TelegramMode.webhook("https://example.com/webhooks/telegram/telegram-main", secret))
 *     .build();
 * }</pre>
 */
public final class TelegramChannel implements Channel, StatefulChannel {
    /** Telegram's documented limit of messages per second per bot (declared to the outbox and kept on the wire). */
    static final int MESSAGES_PER_SECOND = 30;
    /**
     * Sends leave at least 0.8 of the even spacing apart: a late send may be followed a little sooner (so one node still
     * reaches the rate), but never so fast that a bucket refilled at 30/s with a quarter second of burst runs dry:
     * within any interval t up to the 1.03 s window at most t / 27.5 ms + 1 sends leave, under 7.5 + 30 t.
     */
    static final double SEND_MIN_GAP_SHARE = 0.8;

    private static final Logger log = LoggerFactory.getLogger(TelegramChannel.class);
    private static final Pattern TOKEN = Pattern.compile("\\d{1,20}:[A-Za-z0-9_-]{30,}");

    private final TelegramConfig config;
    private final String label;
    private final Capabilities capabilities;
    private final BotApi api;
    private final TelegramTransport transport;
    private final Clock clock;
    private final CallbackData callbackData = new CallbackData(ChannelState.inMemory());
    private final TelegramInboundMapper mapper;
    private final TelegramSender sender;
    private final Optional<TelegramWebhook> webhook;
    private final ChannelLifecycle lifecycle;
    private final ChannelHealthTracker health;
    private final AtomicReference<Run> run = new AtomicReference<>();

    /**
     * What one run (start to stop) holds: the transport use that keeps the shared resources alive, the
     * poll loop in polling mode and the periodic webhook check in webhook mode. Built in start, released in stop.
     */
    private static final class Run {
        final TelegramTransport.Use use;
        TelegramPoller poller;
        ScheduledFuture<?> webhookCheck;
        boolean stopped;

        Run(TelegramTransport.Use use) {
            this.use = use;
        }
    }

    private TelegramChannel(TelegramConfig config, TelegramTransport transport, Clock clock) {
        this.config = config;
        this.label = config.logLabel();
        this.clock = clock;
        this.transport = transport;
        this.health = new ChannelHealthTracker(clock);
        this.lifecycle = new ChannelLifecycle(config.tenant(), config.channelId(), health);
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        Redactor redactor = new Redactor(config.botToken(), config.maskedToken());
        this.api = new BotApi(transport, config.apiBaseUrl(), config.botToken(), json, redactor,
                new DepartureSpacing(MESSAGES_PER_SECOND, SEND_MIN_GAP_SHARE, true, System::nanoTime,
                        java.util.concurrent.TimeUnit.NANOSECONDS::sleep));
        this.mapper = new TelegramInboundMapper(config.channelId(), config.tenant(), callbackData, clock);
        this.sender = new TelegramSender(api, config.channelId(), callbackData,
                new GroupPacer(Duration.ofSeconds(3), System::nanoTime), clock);
        this.capabilities = capabilities(config.mode());
        this.webhook = config.mode() instanceof TelegramMode.Webhook
                ? Optional.of(new TelegramWebhook(config, ((TelegramMode.Webhook) config.mode()).secretToken(),
                mapper, json, clock, () -> lifecycle.sink().orElse(null), health::received))
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
                .maxTextLength(TelegramSender.MAX_TEXT, TextLengthUnit.UTF16_UNITS)
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
                .globalRateLimit(RateLimit.perSecond(MESSAGES_PER_SECOND))
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

    /**
     * Starts receiving: checks the token with getMe, then starts the poll loop (polling) or registers the webhook
     * (webhook mode). A token Telegram refuses (401, or 404 for one it cannot parse) does not fail the start: the
     * channel stays started but {@link ChannelHealth.Status#DOWN} with {@link ChannelHealth.Problem#BAD_CREDENTIALS}
     * and neither polls nor retries until it is restarted, so a host restarting failed channels does not hammer
     * Telegram with a dead token. A second start while running fails with {@link IllegalStateException}; after
     * {@link #stop()} the channel can be started again.
     */
    /**
     * Keeps the payloads of long buttons in {@code state} (the inbox binds it to its store, so a button sent before a
     * restart or by another node still maps back). Unbound, the channel keeps them in memory.
     */
    @Override
    public void bindState(ChannelState state) {
        callbackData.useState(state);
    }

    @Override
    public CompletionStage<Void> start(InboundSink inboundSink) {
        return lifecycle.start(inboundSink, () -> startRun(inboundSink));
    }

    private CompletionStage<Void> startRun(InboundSink inboundSink) {
        Run r = new Run(transport.acquire());
        run.set(r);
        CompletableFuture<Void> started = checkToken().thenCompose(tokenAccepted -> {
            if (!tokenAccepted) {
                return CompletableFuture.completedFuture(null);
            }
            if (config.mode() instanceof TelegramMode.Webhook) {
                return setWebhook().thenRun(() -> scheduleWebhookCheck(r));
            }
            synchronized (r) {
                if (!r.stopped) {
                    r.poller = new TelegramPoller(config, api, r.use, mapper, inboundSink, health, clock);
                    r.poller.start();
                    log.info("Telegram channel {} polling {}", label, config.apiBaseUrl());
                }
            }
            return CompletableFuture.completedFuture(null);
        }).toCompletableFuture();
        return started.whenComplete((v, failure) -> {
            if (failure != null && run.get() == r) {
                // a start that failed leaves nothing running, so the host can start the channel again
                log.warn("Telegram channel {} failed to start: {}", label, failure.toString());
                stop();
            }
        });
    }

    /**
     * getMe: true when Telegram accepts the token. A refusal makes the channel DOWN; a network failure or an outage
     * only DEGRADED, and the start goes on (the poll loop retries with backoff).
     */
    private CompletableFuture<Boolean> checkToken() {
        return api.call("getMe", api.json().createObjectNode()).result.handle((me, failure) -> {
            if (failure == null) {
                health.up();
                log.info("Telegram channel {}: token accepted for @{}", label, me.path("username").asText("?"));
                return true;
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof BotApiError && ((BotApiError) cause).isBadToken()) {
                String detail = "Telegram refused the bot token " + config.maskedToken() + " ("
                        + ((BotApiError) cause).failure().description() + "); fix the token and restart the channel";
                health.down(ChannelHealth.Problem.BAD_CREDENTIALS, detail);
                log.error("Telegram channel {}: {}", label, detail);
                return false;
            }
            String detail = "getMe failed: " + api.redactor().redact(String.valueOf(cause.getMessage()));
            health.degraded(ChannelHealth.Problem.UNREACHABLE, detail, Optional.empty());
            log.warn("Telegram channel {}: {}; starting anyway and retrying", label, detail);
            return true;
        });
    }

    /** Compares getWebhookInfo's URL with ours now and then: someone may have deleted or moved the webhook. */
    private void scheduleWebhookCheck(Run r) {
        synchronized (r) {
            if (r.stopped) {
                return;
            }
            long every = config.webhookCheckInterval().toMillis();
            r.webhookCheck = r.use.resources().timer().scheduleWithFixedDelay(() -> {
                if (run.get() == r) {
                    checkWebhook();
                }
            }, 0, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Asks Telegram where it delivers this bot's updates (getWebhookInfo) and reports the channel
     * {@link ChannelHealth.Status#DOWN} with {@link ChannelHealth.Problem#WEBHOOK_NOT_SET} when it is not our URL.
     * Runs at start and then every {@code webhookCheckInterval}; a restart registers the webhook again.
     */
    CompletionStage<Void> checkWebhook() {
        String ours = ((TelegramMode.Webhook) config.mode()).publicUrl().toString();
        return api.call("getWebhookInfo", api.json().createObjectNode()).result.handle((info, failure) -> {
            if (failure != null) {
                return null; // an outage is reported by sends and the next check, not as "webhook not set"
            }
            String url = info.path("url").asText("");
            if (!url.equals(ours)) {
                String detail = url.isEmpty() ? "Telegram has no webhook for this bot (deleted by another client?); "
                        + "restart the channel to register " + ours
                        : "Telegram delivers this bot's updates to another URL, not " + ours;
                if (!health.isDown()) {
                    log.error("Telegram channel {}: {}", label, detail);
                }
                health.down(ChannelHealth.Problem.WEBHOOK_NOT_SET, detail);
            }
            return null;
        });
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
                log.info("Telegram channel {}: webhook set to {}", label, mode.publicUrl()));
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
        Run r = run.get();
        TelegramPoller p = r == null ? null : r.poller;
        return p == null ? Optional.empty() : p.lastProblem();
    }

    /**
     * The channel's health: stopped, starting, up, degraded (an outage, a 409, a 429 with {@code retryAt}) or down
     * (a token Telegram refuses, a webhook Telegram does not deliver to), with the last successful receive and send.
     */
    @Override
    public ChannelHealth health() {
        return health.snapshot();
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        Objects.requireNonNull(message, "message");
        CompletableFuture<SendReceipt> sent;
        try {
            sent = sender.send(message);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((receipt, failure) -> {
            if (failure == null) {
                health.sent();
                return;
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof BotApiError) {
                BotApiError e = (BotApiError) cause;
                if (e.errorCode() == 401) {
                    health.down(ChannelHealth.Problem.BAD_CREDENTIALS, "Telegram refused the bot token "
                            + config.maskedToken() + " on a send; fix the token and restart the channel");
                } else if (e.failure().kind() == FailureKind.RATE_LIMITED) {
                    health.degraded(ChannelHealth.Problem.RATE_LIMITED, "sends rate-limited by Telegram",
                            e.failure().retryAfter().map(d -> clock.instant().plus(d)));
                } else if (e.failure().kind() == FailureKind.UNAVAILABLE) {
                    health.degraded(ChannelHealth.Problem.UNREACHABLE, e.failure().description(), Optional.empty());
                }
            }
        });
    }

    /**
     * Stops receiving: ends the poll loop (confirming the last committed batch to Telegram) or stops accepting webhook
     * calls, and gives the transport back, so with the default shared transport the last stopped channel leaves no
     * threads behind. Idempotent; the channel can be started again.
     */
    @Override
    public CompletionStage<Void> stop() {
        return lifecycle.stop(this::endRun);
    }

    private CompletionStage<Void> endRun() {
        Run r = run.getAndSet(null);
        if (r == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> ended;
        synchronized (r) {
            r.stopped = true;
            if (r.webhookCheck != null) {
                r.webhookCheck.cancel(false);
            }
            ended = r.poller == null ? CompletableFuture.completedFuture(null) : r.poller.stop();
        }
        return ended.whenComplete((v, e) -> r.use.close());
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return webhook.map(w -> w);
    }

    @Override
    public CompletionStage<FetchedMedia> fetchMedia(MediaSource.PlatformFile file) {
        Optional<ChannelException> foreign = ChannelFiles.refuseForeign(id(), file);
        if (foreign.isPresent()) {
            return CompletableFuture.failedFuture(foreign.get());
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
     * Configures a {@link TelegramChannel}. Setters only record; {@link #build()} checks every option and fails with an
     * {@link IllegalArgumentException} naming the option and its bad value (never the token). Required: id and bot
     * token. Defaults: tenant {@link TenantId#DEFAULT}, api base {@code https://api.telegram.org}, polling
     * with a 30 s long-poll, the {@link TelegramTransport#shared() shared transport}, the system UTC clock.
     */
    public static final class Builder {
        private ChannelId id;
        private TenantId tenant = TenantId.DEFAULT;
        private String botToken;
        private String apiBaseUrl = "https://api.telegram.org/";
        private TelegramMode mode = TelegramMode.polling();
        private Duration pollTimeout = Duration.ofSeconds(30);
        private int pollLimit = 100;
        private Duration retryBackoffMin = Duration.ofSeconds(1);
        private Duration retryBackoffMax = Duration.ofSeconds(60);
        private int maxWebhookBodyBytes = 1024 * 1024;
        private TelegramTransport transport = TelegramTransport.shared();
        private Duration webhookCheckInterval = Duration.ofMinutes(5);
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

        /** The Bot API server: {@code https://api.telegram.org} by default, a local telegram-bot-api server, a fake. */
        public Builder apiBaseUrl(HttpUrl apiBaseUrl) {
            this.apiBaseUrl = apiBaseUrl == null ? null : apiBaseUrl.toString();
            return this;
        }

        /** The Bot API server as a string; checked to be an http(s) URL at {@link #build()}. */
        public Builder apiBaseUrl(String apiBaseUrl) {
            this.apiBaseUrl = apiBaseUrl;
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

        /**
         * A host's own OkHttp client (its dispatcher, pool, proxy, timeouts) for every call of this channel, long polls
         * included; the channel never shuts it down. Shorthand for {@code transport(TelegramTransport.using(client))}.
         * Without it the channel uses {@link TelegramTransport#shared()}.
         */
        public Builder httpClient(OkHttpClient httpClient) {
            this.transport = httpClient == null ? null : TelegramTransport.using(httpClient);
            return this;
        }

        /** The HTTP resources to share with other channels (default {@link TelegramTransport#shared()}). */
        public Builder transport(TelegramTransport transport) {
            this.transport = transport;
            return this;
        }

        /** How often a webhook channel asks getWebhookInfo whether Telegram still delivers to it (1 min - 24 h). */
        public Builder webhookCheckInterval(Duration webhookCheckInterval) {
            this.webhookCheckInterval = webhookCheckInterval;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Checks every option and builds the channel. @throws IllegalArgumentException naming the wrong option */
        public TelegramChannel build() {
            required(id, "id");
            required(tenant, "tenant");
            checkSecret(botToken != null && TOKEN.matcher(botToken).matches(), "botToken", botToken,
                    "<bot id>:<secret of 30+ characters [A-Za-z0-9_-]> as BotFather gives it");
            HttpUrl parsed = apiBaseUrl == null ? null : HttpUrl.parse(apiBaseUrl);
            check(parsed != null, "apiBaseUrl", apiBaseUrl, "an http(s) URL");
            required(mode, "mode");
            required(clock, "clock");
            required(transport, "transport");
            check(pollTimeout != null && !pollTimeout.isNegative()
                    && pollTimeout.compareTo(Duration.ofSeconds(50)) <= 0, "pollTimeout", pollTimeout, "0-50 s");
            check(pollLimit >= 1 && pollLimit <= 100, "pollLimit", pollLimit, "1-100");
            check(retryBackoffMin != null && retryBackoffMax != null && retryBackoffMin.compareTo(Duration.ZERO) > 0
                    && retryBackoffMax.compareTo(retryBackoffMin) >= 0, "retryBackoff",
                    retryBackoffMin + ", " + retryBackoffMax, "0 < min <= max");
            check(maxWebhookBodyBytes >= 1024, "maxWebhookBodyBytes", maxWebhookBodyBytes, ">= 1024");
            check(webhookCheckInterval != null && webhookCheckInterval.compareTo(Duration.ofMinutes(1)) >= 0
                    && webhookCheckInterval.compareTo(Duration.ofHours(24)) <= 0, "webhookCheckInterval",
                    webhookCheckInterval, "1 min - 24 h");
            HttpUrl base = parsed;
            if (!base.pathSegments().isEmpty() && base.pathSegments().get(base.pathSegments().size() - 1).isEmpty()) {
                base = base.newBuilder().removePathSegment(base.pathSegments().size() - 1).build();
            }
            TelegramConfig config = new TelegramConfig(id, tenant, botToken, base, mode, pollTimeout, pollLimit,
                    TelegramInboundMapper.ALLOWED_UPDATES, retryBackoffMin, retryBackoffMax, maxWebhookBodyBytes,
                    webhookCheckInterval);
            return new TelegramChannel(config, transport, clock);
        }
    }
}
