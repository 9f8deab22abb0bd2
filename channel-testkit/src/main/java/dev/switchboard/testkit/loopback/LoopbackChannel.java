package dev.switchboard.testkit.loopback;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.ChannelLifecycle;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Content;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Bubble;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worked example of a channel plugin: a complete {@link Channel} for {@link LoopbackPlatform}, small enough to
 * read in one sitting, that passes the compatibility kit. It shows the four things every channel gets right:
 * <ol>
 *   <li><b>Ack after commit.</b> The poll loop advances its cursor (which acknowledges updates to the platform) only
 *       after {@link InboundSink#deliverAll} completed, so an update whose commit failed is fetched again.</li>
 *   <li><b>Stable event ids.</b> {@link InboundEvent#eventId()} is the platform's id for the event, so a redelivery
 *       carries the same id and the inbox stores it once.</li>
 *   <li><b>Failures as data.</b> Every send failure becomes a {@link ChannelException} whose {@link FailureKind}
 *       says whether to retry, carrying the platform's retry-after.</li>
 *   <li><b>No secrets in strings.</b> {@link Config#toString()} masks the token.</li>
 *   <li><b>A lifecycle that restarts.</b> {@link ChannelLifecycle} refuses a second start while running and makes stop
 *       idempotent; the poll loop (the per-run resource) is built in {@code start} and ended in {@code stop}, so a
 *       stopped channel starts again and receives and sends as before.</li>
 * </ol>
 */
public final class LoopbackChannel implements Channel {
    private static final Logger log = LoggerFactory.getLogger(LoopbackChannel.class);
    private static final Duration POLL_WAIT = Duration.ofMillis(500);
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(200);

    /**
     * What a loopback channel needs to run: its id and tenant, the bot token, and what the platform can show.
     * Like every channel configuration, it never shows the token.
     */
    public record Config(ChannelId id, TenantId tenant, String token, Capabilities capabilities) {
        public Config {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(token, "token");
            if (token.isBlank()) {
                throw new IllegalArgumentException("token must not be blank");
            }
            Objects.requireNonNull(capabilities, "capabilities");
        }

        /** What the loopback platform can do: short MarkdownV2 messages (to exercise splitting) and eight buttons. */
        public static Capabilities defaultCapabilities() {
            return Capabilities.builder()
                    .maxTextLength(300, TextLengthUnit.UTF16_UNITS)
                    .markup(Markup.TELEGRAM_MARKDOWN_V2)
                    .buttons(8, 32)
                    .receiveMode(ReceiveMode.POLLING)
                    .build();
        }

        @Override
        public String toString() {
            return "LoopbackChannel.Config[id=" + id + ", tenant=" + tenant + ", token=***]";
        }
    }

    private final Config config;
    private final LoopbackPlatform platform;
    private final Clock clock;
    private final ChannelLifecycle lifecycle;
    /** The cursor of the last committed update, kept across runs (a real platform keeps it on its side). */
    private volatile long acknowledged;
    private volatile Run run;

    /** One run of the poll loop, from start to stop: its thread, its stop signal and its end. */
    private record Run(Thread thread, CountDownLatch stopping, CompletableFuture<Void> done) {
    }

    public LoopbackChannel(Config config, LoopbackPlatform platform) {
        this(config, platform, Clock.systemUTC());
    }

    public LoopbackChannel(Config config, LoopbackPlatform platform, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.platform = Objects.requireNonNull(platform, "platform");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifecycle = new ChannelLifecycle(config.tenant() + "/" + config.id());
    }

    @Override
    public ChannelId id() {
        return config.id();
    }

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

    public Config config() {
        return config;
    }

    // ------------------------------------------------------------------ receiving

    @Override
    public synchronized CompletionStage<Void> start(InboundSink sink) {
        Objects.requireNonNull(sink, "sink");
        try {
            lifecycle.begin(); // a second start while running is refused
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        CountDownLatch stopping = new CountDownLatch(1);
        CompletableFuture<Void> done = new CompletableFuture<>();
        // the thread name carries tenant and channel id once
        Thread t = new Thread(() -> pollLoop(sink, stopping, done),
                "loopback-poll-" + config.tenant() + "/" + config.id());
        t.setDaemon(true);
        run = new Run(t, stopping, done);
        t.start();
        return CompletableFuture.completedFuture(null);
    }

    private void pollLoop(InboundSink sink, CountDownLatch stopping, CompletableFuture<Void> done) {
        // position of the last update we committed; polling after it acknowledges everything up to it. A restarted
        // loop goes on from there, as a Telegram bot's offset lives on after a restart.
        long cursor = acknowledged;
        try {
            while (stopping.getCount() > 0) {
                List<LoopbackPlatform.Update> updates = platform.poll(config.token(), cursor, POLL_WAIT);
                if (updates.isEmpty() || stopping.getCount() == 0) {
                    continue;
                }
                try {
                    commit(sink, updates).toCompletableFuture().get();
                    // Only now is it safe to acknowledge: the next poll starts after these updates.
                    cursor = updates.get(updates.size() - 1).position();
                    acknowledged = cursor;
                } catch (ExecutionException e) {
                    // Not stored: keep the cursor so the same updates come again, and back off (waking on stop).
                    log.warn("{}: inbox did not commit {} updates, will fetch them again: {}", config.id(),
                            updates.size(), e.getCause().toString());
                    if (stopping.await(RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("{}: poll loop failed", config.id(), e);
        } finally {
            done.complete(null);
        }
    }

    /** Turns one page of updates into events (or quarantined inputs) and hands them to the sink in order. */
    private CompletionStage<Void> commit(InboundSink sink, List<LoopbackPlatform.Update> updates) {
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        List<InboundEvent> batch = new ArrayList<>();
        for (LoopbackPlatform.Update u : updates) {
            if (u.text() == null || u.text().isEmpty()) {
                // Something we cannot read must still be stored (quarantined), never silently skipped.
                List<InboundEvent> before = List.copyOf(batch);
                batch.clear();
                RejectedInput rejected = new RejectedInput(config.id(), Optional.of(u.eventId()),
                        u.toString().getBytes(StandardCharsets.UTF_8), "update has no text", clock.instant());
                chain = chain.thenCompose(v -> sink.deliverAll(before)).thenCompose(v -> sink.reject(rejected));
            } else {
                batch.add(toEvent(u));
            }
        }
        List<InboundEvent> rest = List.copyOf(batch);
        return chain.thenCompose(v -> sink.deliverAll(rest));
    }

    private InboundEvent toEvent(LoopbackPlatform.Update u) {
        Profile profile = u.userName() == null || u.userName().isBlank() ? Profile.EMPTY : Profile.named(u.userName());
        ChannelAccount account = ChannelAccount.of(config.tenant(), config.id(), u.userId(), profile);
        // The platform's event id, not the cursor position: a redelivery has a new position but the same event id.
        return InboundEvent.MessageReceived.of(u.eventId(), account, clock.instant(), "in-" + u.eventId(),
                Content.text(u.text()));
    }

    // ------------------------------------------------------------------ sending

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        Bubble bubble = message.bubble();
        if (!(bubble instanceof Bubble.TextBubble)) {
            // The renderer only emits media/location/contact bubbles when capabilities() says the channel has them.
            return CompletableFuture.failedFuture(new ChannelException(SendFailure.of(FailureKind.INVALID_REQUEST,
                    null, "loopback sends text only, got " + bubble.getClass().getSimpleName())));
        }
        Bubble.TextBubble text = (Bubble.TextBubble) bubble;
        List<String> labels = text.buttons().stream().map(Choice::label).collect(Collectors.toList());
        // A real channel makes an HTTP call here and completes the stage from the response callback.
        LoopbackPlatform.ApiResponse r =
                platform.send(config.token(), message.recipient().platformUserId(), text.formatted(), labels);
        if (r.status() == 200) {
            return CompletableFuture.completedFuture(new SendReceipt(r.messageId().orElseThrow(), clock.instant()));
        }
        return CompletableFuture.failedFuture(new ChannelException(classify(r)));
    }

    /** Maps the platform's answer to what the outbox should do about it. */
    static SendFailure classify(LoopbackPlatform.ApiResponse r) {
        String code = Integer.toString(r.status());
        if (r.status() == 429) {
            return r.retryAfterSeconds()
                    .map(s -> SendFailure.rateLimited(Duration.ofSeconds(s), code, r.description()))
                    .orElseGet(() -> SendFailure.of(FailureKind.RATE_LIMITED, code, r.description()));
        }
        if (r.status() >= 500) {
            return SendFailure.of(FailureKind.UNAVAILABLE, code, r.description());
        }
        if (r.status() == 401) {
            return SendFailure.of(FailureKind.UNAUTHORIZED, code, r.description());
        }
        if (r.status() == 403) {
            return SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, code, r.description());
        }
        return SendFailure.of(FailureKind.INVALID_REQUEST, code, r.description());
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public synchronized CompletionStage<Void> stop() {
        if (!lifecycle.end()) {
            return CompletableFuture.completedFuture(null); // never started, or already stopped: nothing to do
        }
        Run r = run;
        r.stopping().countDown();
        r.thread().interrupt(); // wakes a pending long poll
        return r.done().copy();
    }

    @Override
    public String toString() {
        return "LoopbackChannel[" + config + "]";
    }
}
