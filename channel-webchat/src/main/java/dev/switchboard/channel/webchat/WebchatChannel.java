package dev.switchboard.channel.webchat;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.CardLimits;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.ChannelFiles;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.ChannelLifecycle;
import dev.switchboard.channel.ConfigChecks;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.HttpEndpoints;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.StatefulChannel;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;

/**
 * The website chat channel: visitors talk through the embeddable widget ({@code /webchat/widget.js}), the inbox
 * receives their messages as {@code InboundEvent}s and answers through {@link #send}. The channel owns no server: it
 * declares its routes and streams in {@link #endpoints()} and any server mounts them (the {@code server-jetty} module
 * does it for you), so a host with its own server never pulls in Jetty.
 *
 * <p>Besides the {@link Channel} SPI the host drives agent presence ({@link #setAgentsOnline}), agent typing
 * ({@link #agentTyping}) and read receipts ({@link #markRead}); visitor typing arrives at the
 * {@link VisitorActivityListener}, visitor read receipts as {@code DeliveryUpdate(READ)} events.
 */
public final class WebchatChannel implements Channel, StatefulChannel {
    private final WebchatConfig config;
    private final ChannelId id;
    private final TenantId tenant;
    private final Capabilities capabilities;
    private final Clock clock;
    private final BusinessHours businessHours;
    private final VisitorActivityListener listener;
    private final Optional<TranscriptSender> transcriptSender;
    private final SendPolicy sendPolicy;
    private final Set<String> allowedOrigins;
    private final WebchatEndpoint endpoint;
    private final HttpEndpoints endpoints;
    private final ChannelLifecycle lifecycle;
    private final ChannelHealthTracker health;
    /** The log when the host gave none: switched to the channel state when the inbox binds one. */
    private final Optional<BindableWebchatLog> bindableLog;
    private final Duration remoteEventsInterval;
    private final Duration remoteEventsSafetyInterval;
    private final WebchatLog log;
    private volatile boolean sharedLog;
    private volatile ScheduledFuture<?> remoteEvents;

    private WebchatChannel(WebchatConfig config, Builder b) {
        this.config = config;
        this.id = config.channelId();
        this.tenant = config.tenant();
        this.clock = b.clock;
        this.businessHours = config.businessHours();
        this.listener = b.listener;
        this.transcriptSender = Optional.ofNullable(b.transcriptSender);
        this.sendPolicy = b.sendPolicy;
        this.allowedOrigins = config.allowedOrigins();
        this.capabilities = Capabilities.builder()
                .maxTextLength(10_000, TextLengthUnit.CODE_POINTS)
                .markup(Markup.PLAIN)
                .media(MediaKind.IMAGE, MediaKind.FILE, MediaKind.AUDIO, MediaKind.VIDEO)
                .buttons(10, 64)
                .linkButtons(true)
                // the widget draws a row of cards (image, title, description, up to three buttons each)
                .cards(CardLimits.builder().maxCards(10).maxButtonsPerCard(3).maxTitleLength(80)
                        .maxDescriptionLength(300).build())
                .typingIndicators(true)
                .readReceipts(true)
                .receiveMode(ReceiveMode.PUSH)
                .perRecipientRateLimit(RateLimit.perSecond(20))
                .build();
        this.lifecycle = new ChannelLifecycle(id.value());
        this.health = new ChannelHealthTracker(clock);
        this.bindableLog = b.log instanceof BindableWebchatLog bindable ? Optional.of(bindable) : Optional.empty();
        this.remoteEventsInterval = b.remoteEventsInterval;
        this.remoteEventsSafetyInterval = b.remoteEventsSafetyInterval;
        this.log = b.log;
        this.sharedLog = b.logShared;
        this.endpoint = new WebchatEndpoint(this, config, b.log, b.fileStore, b.clock);
        this.endpoints = endpoint.endpoints();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The checked settings this channel was built with (secrets masked in its {@code toString()}). */
    public WebchatConfig config() {
        return config;
    }

    /** The transport-neutral chat server behind {@link #endpoints()}, for tests and hosts calling it directly. */
    public WebchatEndpoint endpoint() {
        return endpoint;
    }

    /**
     * The chat's routes and streams under its {@link WebchatConfig#basePath() base path}: the widget script, session,
     * history, messages, uploads and files, the WebSocket at {@code <base>/ws} and Server-Sent Events at
     * {@code <base>/events}. Any server that mounts {@code HttpEndpoints} hosts the chat; several chats (one per site)
     * share a server when their base paths differ.
     */
    @Override
    public HttpEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public ChannelId id() {
        return id;
    }

    @Override
    public ChannelType type() {
        return ChannelType.WEBCHAT;
    }

    @Override
    public TenantId tenant() {
        return tenant;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /**
     * Keeps sessions and history in {@code state} ({@link StateWebchatLog}) when the channel was built without a
     * {@link Builder#log log} of the host's: the inbox binds it to its store, so a visitor resumes from its last
     * sequence number after a restart and on any node. A host-given log is kept as it is. Upload metadata and the
     * per-session and per-address upload quotas are kept in {@code state} in either case, so a file uploaded through
     * one node is served by every node that shares the {@link Builder#fileStore file store}.
     */
    @Override
    public void bindState(ChannelState state) {
        endpoint.bindFiles(state);
        bindableLog.ifPresent(l -> {
            l.use(new StateWebchatLog(state));
            sharedLog = true;
        });
    }

    @Override
    public CompletionStage<Void> start(InboundSink sink) {
        Objects.requireNonNull(sink, "sink");
        lifecycle.begin();
        health.starting();
        endpoint.start(sink);
        if (sharedLog) {
            // with appends announced (PostgreSQL LISTEN/NOTIFY, a shared in-memory state) streams are woken at once,
            // and polling only catches what a lost notification missed
            remoteEvents = RemoteEventsPoller.every(BindableWebchatLog.notifiesAppends(log)
                    ? remoteEventsSafetyInterval : remoteEventsInterval, endpoint);
        }
        health.up();
        return CompletableFuture.completedFuture(null);
    }

    /** Running or stopped, and when a visitor message was last received and an agent message last delivered. */
    @Override
    public ChannelHealth health() {
        return health.snapshot();
    }

    ChannelHealthTracker healthTracker() {
        return health;
    }

    /**
     * Appends the message to the visitor's conversation and pushes it to the visitor's open streams (or keeps it for
     * their next resume). The receipt's platform message id ({@code sessionId:seq}) is stable: a retry with the same
     * idempotency key returns the same id and shows the message once.
     */
    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        if (!lifecycle.isRunning()) {
            return CompletableFuture.failedFuture(new ChannelException(
                    SendFailure.of(FailureKind.UNAVAILABLE, "stopped", "the webchat channel is not running")));
        }
        return endpoint.send(message, sendPolicy).whenComplete((r, err) -> {
            if (err == null) {
                health.sent();
            }
        });
    }

    @Override
    public CompletionStage<Void> stop() {
        if (lifecycle.end()) {
            ScheduledFuture<?> polling = remoteEvents;
            if (polling != null) {
                polling.cancel(false);
            }
            endpoint.stop();
            health.stopped();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<FetchedMedia> fetchMedia(MediaSource.PlatformFile file) {
        Optional<ChannelException> foreign = ChannelFiles.refuseForeign(id, file);
        if (foreign.isPresent()) {
            return CompletableFuture.failedFuture(foreign.get());
        }
        return endpoint.file(file.fileId()).<CompletionStage<FetchedMedia>>map(CompletableFuture::completedFuture)
                .orElseGet(() -> CompletableFuture.failedFuture(new ChannelException(SendFailure.of(
                        FailureKind.INVALID_REQUEST, "unknown_file", "no webchat file " + file.fileId()))));
    }

    /**
     * Deletes an uploaded or agent-sent file of this chat when a customer's data is erased; false when the file store
     * cannot delete single files (see {@link WebchatFileStore#delete}).
     */
    @Override
    public CompletionStage<Boolean> deleteMedia(MediaSource.PlatformFile file) {
        Optional<ChannelException> foreign = ChannelFiles.refuseForeign(id, file);
        if (foreign.isPresent()) {
            return CompletableFuture.failedFuture(foreign.get());
        }
        try {
            return CompletableFuture.completedFuture(endpoint.deleteFile(file.fileId()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Deletes uploaded files older than {@link UploadLimits#retention()} now (uploads also purge at most once a
     * minute by themselves); returns how many were deleted. Call it from the host's scheduler.
     */
    public int purgeExpiredFiles() {
        return endpoint.purgeExpiredFiles();
    }

    /** Whether an agent is answering now: shown by every widget, which offers the offline form when not. */
    public void setAgentsOnline(boolean online) {
        endpoint.setAgentsOnline(online);
    }

    /** Whether widgets are told someone is answering (agents online and within business hours). */
    public boolean online() {
        return endpoint.online();
    }

    /** Re-evaluates business hours and tells widgets if presence changed; call it from the host's scheduler. */
    public void refreshPresence() {
        endpoint.refreshPresence();
    }

    /** Shows or hides "{@code agentName} is typing…" in the visitor's widget. */
    public void agentTyping(String sessionId, boolean typing, Optional<String> agentName) {
        endpoint.agentTyping(sessionId, typing, agentName);
    }

    /** Tells the visitor that an agent has read everything they sent so far (the widget shows "read"). */
    public void markRead(String sessionId) {
        endpoint.markReadByAgent(sessionId);
    }

    /** Closes the visitor's open streams; the widget reconnects and resumes. */
    public void disconnect(String sessionId) {
        endpoint.disconnect(sessionId);
    }

    /** The number of open visitor streams on this node. */
    public int connectedStreams() {
        return endpoint.connectedStreams();
    }

    Instant now() {
        return clock.instant();
    }

    BusinessHours businessHours() {
        return businessHours;
    }

    VisitorActivityListener listener() {
        return listener;
    }

    Optional<TranscriptSender> transcriptSender() {
        return transcriptSender;
    }

    Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    @Override
    public String toString() {
        return "WebchatChannel[" + id + ", tenant=" + tenant + "]";
    }

    /**
     * Configures a {@link WebchatChannel}. Only {@link #tokenSecret} is required; {@link #identitySecret} enables
     * verified logged-in visitors.
     */
    public static final class Builder {
        ChannelId id = ChannelId.of("webchat");
        String basePath = WebchatConfig.DEFAULT_BASE_PATH;
        TenantId tenant = TenantId.DEFAULT;
        byte[] tokenSecret;
        byte[] identitySecret;
        WebchatLog log;
        WebchatLimits limits = WebchatLimits.DEFAULT;
        TranscriptSender transcriptSender;
        BusinessHours businessHours = BusinessHours.ALWAYS;
        VisitorActivityListener listener = VisitorActivityListener.NONE;
        SendPolicy sendPolicy = SendPolicy.ALLOW_ALL;
        Set<String> allowedOrigins = Set.of();
        Clock clock = Clock.systemUTC();
        boolean agentsOnline;
        WebchatFileStore fileStore;
        UploadLimits uploadLimits = UploadLimits.DEFAULT;
        AddressLimits addressLimits = AddressLimits.DEFAULT;
        Duration identityTokenLifetime = Duration.ofMinutes(30);
        Duration remoteEventsInterval = Duration.ofSeconds(1);
        Duration remoteEventsSafetyInterval = Duration.ofSeconds(10);
        boolean logShared;
        boolean acceptLegacyUserHash;
        String fileOrigin;
        String phoneRegion = "ZZ";

        private Builder() {
        }

        /** The channel's id, unique in the inbox (default {@code webchat}; one per site on a shared server). */
        public Builder id(ChannelId id) {
            this.id = id;
            return this;
        }

        /**
         * Where the chat's URLs start (default {@code /webchat}). A server hosting the chats of several sites mounts
         * one channel per site, each under its own path such as {@code /webchat/shop-a}; the widget loaded from
         * {@code <basePath>/widget.js} talks to its own site.
         */
        public Builder basePath(String basePath) {
            this.basePath = basePath;
            return this;
        }

        public Builder tenant(TenantId tenant) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            return this;
        }

        /** The server's secret for signing visitor tokens (at least 32 bytes; keep it stable across restarts). */
        public Builder tokenSecret(byte[] secret) {
            this.tokenSecret = secret.clone();
            return this;
        }

        /**
         * The secret the host's backend signs visitor identities with ({@link WebchatIdentity#sign}: a user id, a
         * timestamp, optionally a nonce and verified attributes).
         */
        public Builder identitySecret(byte[] secret) {
            this.identitySecret = secret.clone();
            return this;
        }

        /**
         * How often a node looks for events other nodes appended to the sessions whose streams it holds (default 1
         * second): how late an agent reply sent through another node reaches the visitor at worst. Used when the log
         * is shared: the inbox bound the channel to its store, or the host said so with {@link #logShared()}.
         */
        public Builder remoteEventsInterval(Duration interval) {
            this.remoteEventsInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * How often a node polls for other nodes' events when its state announces appends (default 10 seconds):
         * then an open stream is woken as soon as another node's append commits (PostgreSQL {@code LISTEN}/
         * {@code NOTIFY}, inboxes sharing one in-memory store), and this poll only catches what a notification lost
         * while the listening connection reconnected missed. Without announcements {@link #remoteEventsInterval}
         * applies.
         */
        public Builder remoteEventsSafetyInterval(Duration interval) {
            this.remoteEventsSafetyInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Says the host's {@link #log log} is shared by several nodes, so each node polls it for others' events. */
        public Builder logShared() {
            this.logShared = true;
            return this;
        }

        /**
         * How long a signed identity token is accepted after the host signed it (default 30 minutes, plus one minute
         * of clock skew): a token copied from a page cannot open that user's chat after it.
         */
        public Builder identityTokenLifetime(Duration lifetime) {
            this.identityTokenLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /**
         * Also accepts the older {@code user: {id, hash}} form, {@code hash = hex(HMAC-SHA256(identitySecret, id))}
         * (default off). That signature never expires: anyone who sees it once can open that user's chat with its
         * history for as long as the secret is unchanged. Only for hosts migrating to {@link WebchatIdentity#sign}.
         */
        public Builder acceptLegacyUserHash(boolean accept) {
            this.acceptLegacyUserHash = accept;
            return this;
        }

        /** Where uploaded and agent-sent files are kept (default: an {@link InMemoryWebchatFileStore} of 64 MiB). */
        public Builder fileStore(WebchatFileStore store) {
            this.fileStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Upload quotas per session, per address and in total, and how long files are kept. */
        public Builder uploadLimits(UploadLimits limits) {
            this.uploadLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Session creation and message limits per IP address. */
        public Builder addressLimits(AddressLimits limits) {
            this.addressLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Serves file links from another origin ({@code https://files.example.com}, a second DNS name for the same
         * server): a file that a browser renders despite every header then still runs on an origin without the
         * console's or the API's cookies. Default: the chat's own origin.
         */
        public Builder fileOrigin(String origin) {
            this.fileOrigin = Objects.requireNonNull(origin, "origin");
            return this;
        }

        /** The region for signed or pre-chat phone numbers written without a country code (default ZZ: none). */
        public Builder phoneRegion(String region) {
            this.phoneRegion = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Where sessions and events are kept; defaults to an {@link InMemoryWebchatLog}. */
        public Builder log(WebchatLog log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        public Builder limits(WebchatLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** How transcripts are mailed; without one the widget's transcript request gets a clear error. */
        public Builder transcriptSender(TranscriptSender sender) {
            this.transcriptSender = Objects.requireNonNull(sender, "sender");
            return this;
        }

        public Builder businessHours(BusinessHours hours) {
            this.businessHours = Objects.requireNonNull(hours, "hours");
            return this;
        }

        public Builder listener(VisitorActivityListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder sendPolicy(SendPolicy policy) {
            this.sendPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Page origins allowed to use the chat ({@code https://shop.example}); empty allows any. */
        public Builder allowedOrigins(Set<String> origins) {
            this.allowedOrigins = Set.copyOf(origins);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether agents are online when the channel starts (default false: widgets offer the offline form). */
        public Builder agentsOnline(boolean online) {
            this.agentsOnline = online;
            return this;
        }

        /**
         * Checks every option and builds the channel. @throws IllegalArgumentException naming the first bad option
         * (a missing or short secret, a bad base path, an origin with a path...), never showing a secret's value
         */
        public WebchatChannel build() {
            WebchatConfig config = new WebchatConfig(id, tenant, basePath, tokenSecret,
                    Optional.ofNullable(identitySecret), identityTokenLifetime, acceptLegacyUserHash, limits,
                    uploadLimits, addressLimits, allowedOrigins, Optional.ofNullable(fileOrigin), phoneRegion,
                    businessHours, agentsOnline);
            if (clock == null) {
                throw new IllegalArgumentException("clock is required");
            }
            ConfigChecks.check(!remoteEventsInterval.isNegative() && !remoteEventsInterval.isZero(),
                    "remoteEventsInterval", remoteEventsInterval, "positive");
            ConfigChecks.check(!remoteEventsSafetyInterval.isNegative() && !remoteEventsSafetyInterval.isZero(),
                    "remoteEventsSafetyInterval", remoteEventsSafetyInterval, "positive");
            if (log == null) {
                log = new BindableWebchatLog(new InMemoryWebchatLog());
            }
            if (fileStore == null) {
                fileStore = new InMemoryWebchatFileStore();
            }
            return new WebchatChannel(config, this);
        }

        @Override
        public String toString() {
            return "WebchatChannel.Builder[" + id + ", secrets hidden]";
        }
    }
}
