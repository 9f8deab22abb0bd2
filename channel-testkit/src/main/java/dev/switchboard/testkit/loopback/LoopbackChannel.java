package dev.switchboard.testkit.loopback;

import static dev.switchboard.channel.ConfigChecks.check;
import static dev.switchboard.channel.ConfigChecks.checkSecret;
import static dev.switchboard.channel.ConfigChecks.required;

import dev.switchboard.channel.Capabilities;
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
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worked example of a channel plugin: a complete {@link Channel} for {@link LoopbackPlatform}, small enough to
 * read in one sitting, built from the same parts with the same names as every shipped channel and passing the
 * compatibility kit. The parts:
 * <ul>
 *   <li>{@code LoopbackChannel}, built by {@link #builder()}, validated once at {@link Builder#build()};</li>
 *   <li>{@link LoopbackConfig}, the immutable record of every option (its {@code toString()} masks the token);</li>
 *   <li>{@code LoopbackPoller}, the receiver: one poll loop per run, acknowledging only after the inbox
 *       committed;</li>
 *   <li>{@code LoopbackSender}, the sender: one bubble to one platform call, failures as data;</li>
 *   <li>{@code LoopbackInboundMapper}, platform update to {@link InboundEvent}, with the platform's event id so a
 *       redelivery is stored once;</li>
 *   <li>the shared pieces of channel-api: {@link ChannelLifecycle} (a second start refused, stop idempotent, start
 *       again after stop), {@link ChannelHealthTracker} for {@link #health()}, and {@link ChannelFiles} for
 *       another channel's file.</li>
 * </ul>
 * Thread-safe.
 */
public final class LoopbackChannel implements Channel {
    private final LoopbackConfig config;
    private final LoopbackPlatform platform;
    private final Clock clock;
    private final ChannelHealthTracker health;
    private final ChannelLifecycle lifecycle;
    private final LoopbackInboundMapper mapper;
    private final LoopbackSender sender;
    /** The position of the last committed update, kept across runs (a real platform keeps it on its side). */
    private volatile long acknowledged;
    private final AtomicReference<LoopbackPoller> poller = new AtomicReference<>();

    private LoopbackChannel(LoopbackConfig config, LoopbackPlatform platform, Clock clock) {
        this.config = config;
        this.platform = platform;
        this.clock = clock;
        this.health = new ChannelHealthTracker(clock);
        this.lifecycle = new ChannelLifecycle(config.tenant(), config.channelId(), health);
        this.mapper = new LoopbackInboundMapper(config, clock);
        this.sender = new LoopbackSender(config, platform, clock);
    }

    /** A builder; {@link Builder#build()} validates every option once. */
    public static Builder builder() {
        return new Builder();
    }

    /** The validated configuration (its {@code toString()} masks the token). */
    public LoopbackConfig config() {
        return config;
    }

    @Override
    public ChannelId id() {
        return config.channelId();
    }

    /** A plugin's own type: the inbox and the console show it by this name. */
    @Override
    public ChannelType type() {
        return ChannelType.of("loopback");
    }

    @Override
    public TenantId tenant() {
        return config.tenant();
    }

    @Override
    public Capabilities capabilities() {
        return config.capabilities();
    }

    /** Starts this run's poll loop after the last acknowledged update. A second start while running is refused. */
    @Override
    public CompletionStage<Void> start(InboundSink sink) {
        return lifecycle.start(sink, () -> {
            LoopbackPoller run = new LoopbackPoller(config, platform, mapper, sink, health, acknowledged,
                    position -> acknowledged = position);
            poller.set(run);
            run.start();
            health.up(); // a real channel checks its credentials first (Telegram's getMe) and goes DOWN on a refusal
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        Objects.requireNonNull(message, "message");
        return sender.send(message).whenComplete((receipt, failure) -> {
            if (failure == null) {
                health.sent();
            }
        });
    }

    /** Ends this run's poll loop; completes when its thread is gone. Idempotent; the channel can start again. */
    @Override
    public CompletionStage<Void> stop() {
        return lifecycle.stop(() -> {
            LoopbackPoller run = poller.getAndSet(null);
            return run == null ? CompletableFuture.completedFuture(null) : run.stop();
        });
    }

    @Override
    public ChannelHealth health() {
        return health.snapshot();
    }

    /** The loopback platform has no files; another channel's file is refused first, as every channel does. */
    @Override
    public CompletionStage<FetchedMedia> fetchMedia(MediaSource.PlatformFile file) {
        Optional<ChannelException> foreign = ChannelFiles.refuseForeign(id(), file);
        if (foreign.isPresent()) {
            return CompletableFuture.failedFuture(foreign.get());
        }
        return CompletableFuture.failedFuture(new UnsupportedOperationException("loopback has no files"));
    }

    @Override
    public String toString() {
        return "LoopbackChannel[" + config + "]";
    }

    /**
     * Configures a {@link LoopbackChannel}. Setters only record; {@link #build()} checks every option and fails with
     * an {@link IllegalArgumentException} naming the option and its bad value (never the token). Required: id, token
     * and platform. Defaults: tenant {@link TenantId#DEFAULT}, {@link LoopbackConfig#defaultCapabilities()}, 500 ms
     * long polls, 200 ms back-off after a failed commit, the system UTC clock.
     */
    public static final class Builder {
        private ChannelId id;
        private TenantId tenant = TenantId.DEFAULT;
        private String token;
        private Capabilities capabilities = LoopbackConfig.defaultCapabilities();
        private Duration pollWait = Duration.ofMillis(500);
        private Duration retryBackoff = Duration.ofMillis(200);
        private LoopbackPlatform platform;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The channel's id. Required. */
        public Builder id(ChannelId id) {
            this.id = id;
            return this;
        }

        public Builder tenant(TenantId tenant) {
            this.tenant = tenant;
            return this;
        }

        /** The bot token the platform checks. Required. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** What the platform can show; {@link LoopbackConfig#defaultCapabilities()} unless set. */
        public Builder capabilities(Capabilities capabilities) {
            this.capabilities = capabilities;
            return this;
        }

        /** How long one long poll waits, 1 ms - 60 s. */
        public Builder pollWait(Duration pollWait) {
            this.pollWait = pollWait;
            return this;
        }

        /** The pause after a failed commit before the same updates are fetched again, positive. */
        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        /** The platform to talk to (a real channel would take an API base URL here). Required. */
        public Builder platform(LoopbackPlatform platform) {
            this.platform = platform;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Checks every option and builds the channel. @throws IllegalArgumentException naming the wrong option */
        public LoopbackChannel build() {
            required(id, "id");
            required(tenant, "tenant");
            // a secret: the message says what is wrong with it, never its value
            checkSecret(token != null && !token.isBlank(), "token", token, "a non-blank bot token");
            required(capabilities, "capabilities");
            check(pollWait != null && pollWait.toMillis() >= 1 && pollWait.compareTo(Duration.ofSeconds(60)) <= 0,
                    "pollWait", pollWait, "1 ms - 60 s");
            check(retryBackoff != null && retryBackoff.compareTo(Duration.ZERO) > 0, "retryBackoff", retryBackoff,
                    "positive");
            required(platform, "platform");
            required(clock, "clock");
            return new LoopbackChannel(new LoopbackConfig(id, tenant, token, capabilities, pollWait, retryBackoff),
                    platform, clock);
        }
    }
}
