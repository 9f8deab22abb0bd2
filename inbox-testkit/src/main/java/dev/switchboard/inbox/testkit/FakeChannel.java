package dev.switchboard.inbox.testkit;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Content;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An in-process {@link Channel} for inbox tests: inbound events are pushed in by the test through the sink the inbox
 * gave the channel, and every send attempt is recorded with its start and end time (wall clock and
 * {@link System#nanoTime()}) and outcome. Sends succeed unless scripted otherwise: queue one-off outcomes with
 * {@link #failNext}/{@link #timeoutNext()}, or install a {@link #sendPolicy} deciding each attempt (fault injection).
 * Use it to drive an inbox in your own tests: {@code FakeChannel.of("tg", ChannelType.TELEGRAM)}, then
 * {@code receive(...)} and {@code sent()}.
 */
public final class FakeChannel implements Channel {

    /** What the fake does with one send attempt. */
    public sealed interface Outcome permits Succeed, Fail, Hang {
    }

    /**
     * Accept the message, answering with {@code platformMessageId} when given (e.g. an id the platform already used),
     * else with a fresh id.
     */
    public record Succeed(Optional<String> platformMessageId) implements Outcome {
        public Succeed() {
            this(Optional.empty());
        }
    }

    /** Complete the send exceptionally with this failure. */
    public record Fail(SendFailure failure) implements Outcome {
    }

    /** Never complete the send (the inbox's send timeout must fire). */
    public record Hang() implements Outcome {
    }

    /**
     * One recorded send attempt.
     *
     * @param failure empty when the attempt succeeded or hung
     * @param hung true when the attempt never completed
     */
    public record Attempt(OutboundMessage message, Instant startedAt, long startedNanos, Instant endedAt,
                          Optional<SendFailure> failure, boolean hung, Optional<String> platformMessageId) {
        public boolean succeeded() {
            return failure.isEmpty() && !hung;
        }
    }

    private final TenantId tenant;
    private final ChannelId id;
    private final ChannelType type;
    private final Capabilities capabilities;
    private final Deque<Outcome> scripted = new ArrayDeque<>();
    private final List<Attempt> attempts = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger starts = new AtomicInteger();
    private final List<InboundEvent.Postback> acknowledged = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean deduplicatesByKey;
    private volatile Function<OutboundMessage, Outcome> sendPolicy = m -> new Succeed();
    private volatile InboundSink sink;
    private volatile boolean running;
    private final Map<String, Capabilities> perRecipient = new java.util.concurrent.ConcurrentHashMap<>();

    private final java.util.Map<String, byte[]> media = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean failNextDeletion =
            new java.util.concurrent.atomic.AtomicBoolean();

    public FakeChannel(TenantId tenant, ChannelId id, ChannelType type, Capabilities capabilities) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.id = Objects.requireNonNull(id, "id");
        this.type = Objects.requireNonNull(type, "type");
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
    }

    /** A plain-text webhook channel of the default tenant. */
    public static FakeChannel of(String id, ChannelType type) {
        return new FakeChannel(TenantId.DEFAULT, ChannelId.of(id), type, Capabilities.builder().build());
    }

    public static FakeChannel of(TenantId tenant, String id, ChannelType type, Capabilities capabilities) {
        return new FakeChannel(tenant, ChannelId.of(id), type, capabilities);
    }

    // ---- Channel -------------------------------------------------------------------------------------------------

    @Override
    public ChannelId id() {
        return id;
    }

    @Override
    public ChannelType type() {
        return type;
    }

    @Override
    public TenantId tenant() {
        return tenant;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** What {@code platformUserId}'s client can show, as a channel learns it (a VK app without keyboards). */
    @Override
    public Capabilities capabilities(ChannelAccount recipient) {
        return perRecipient.getOrDefault(recipient.platformUserId(), capabilities);
    }

    /**
     * Declares (or not) that this fake's platform deduplicates sends by the idempotency key, like VK's
     * {@code random_id}; pair it with a {@link #sendPolicy} that answers a repeated key with the earlier id.
     */
    public FakeChannel deduplicatesSendsByIdempotencyKey(boolean deduplicates) {
        this.deduplicatesByKey = deduplicates;
        return this;
    }

    @Override
    public boolean deduplicatesSendsByIdempotencyKey() {
        return deduplicatesByKey;
    }

    /** Narrows the capabilities for one recipient, like a channel that learned what their client shows. */
    public FakeChannel recipientCapabilities(String platformUserId, Capabilities narrowed) {
        perRecipient.put(Objects.requireNonNull(platformUserId, "platformUserId"),
                Objects.requireNonNull(narrowed, "narrowed"));
        return this;
    }

    @Override
    public CompletionStage<Void> start(InboundSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.running = true;
        starts.incrementAndGet();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        Instant started = Instant.now();
        long startedNanos = System.nanoTime();
        Outcome outcome;
        synchronized (scripted) {
            outcome = scripted.isEmpty() ? sendPolicy.apply(message) : scripted.poll();
        }
        if (outcome instanceof Fail f) {
            record(new Attempt(message, started, startedNanos, Instant.now(), Optional.of(f.failure()), false,
                    Optional.empty()));
            return CompletableFuture.failedFuture(new ChannelException(f.failure()));
        }
        if (outcome instanceof Hang) {
            record(new Attempt(message, started, startedNanos, started, Optional.empty(), true, Optional.empty()));
            return new CompletableFuture<>();
        }
        String platformId = outcome instanceof Succeed ok && ok.platformMessageId().isPresent()
                ? ok.platformMessageId().get() : id.value() + "-out-" + ids.incrementAndGet();
        record(new Attempt(message, started, startedNanos, Instant.now(), Optional.empty(), false,
                Optional.of(platformId)));
        return CompletableFuture.completedFuture(new SendReceipt(platformId, Instant.now()));
    }

    @Override
    public CompletionStage<Void> stop() {
        running = false;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> acknowledgePostback(InboundEvent.Postback postback, Optional<String> text) {
        acknowledged.add(postback);
        return CompletableFuture.completedFuture(null);
    }

    /** The button presses the inbox acknowledged to this channel. */
    public List<InboundEvent.Postback> acknowledgedPostbacks() {
        return List.copyOf(acknowledged);
    }

    @Override
    public String toString() {
        return "FakeChannel[" + tenant + "/" + id + "]";
    }

    // ---- scripting sends -----------------------------------------------------------------------------------------

    /** The next send fails with {@code failure}. */
    public FakeChannel failNext(SendFailure failure) {
        synchronized (scripted) {
            scripted.add(new Fail(failure));
        }
        return this;
    }

    /** The next send never completes. */
    public FakeChannel timeoutNext() {
        synchronized (scripted) {
            scripted.add(new Hang());
        }
        return this;
    }

    /** Decides every unscripted send attempt (default: succeed). */
    public FakeChannel sendPolicy(Function<OutboundMessage, Outcome> policy) {
        this.sendPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    private void record(Attempt attempt) {
        synchronized (attempts) {
            attempts.add(attempt);
        }
    }

    /** Every send attempt so far, in the order they started. */
    public List<Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** The successful sends so far. */
    public List<Attempt> sent() {
        return attempts().stream().filter(Attempt::succeeded).toList();
    }

    /** The plain text of every successful send, in order. */
    public List<String> sentTexts() {
        return sent().stream().map(a -> a.message().bubble().plain()).toList();
    }

    public boolean isRunning() {
        return running;
    }

    public int startCount() {
        return starts.get();
    }

    // ---- inbound -------------------------------------------------------------------------------------------------

    /** This channel's account for a platform user. */
    public ChannelAccount account(String platformUserId) {
        return ChannelAccount.of(tenant, id, platformUserId, Profile.named("User " + platformUserId));
    }

    /** A text message from {@code user} with a fresh event id and platform message id. */
    public InboundEvent.MessageReceived text(String user, String text) {
        long n = ids.incrementAndGet();
        return InboundEvent.MessageReceived.of(id.value() + "-evt-" + n, account(user), Instant.now(),
                id.value() + "-in-" + n, Content.text(text));
    }

    /** A text message carrying evidence about who the user is. */
    public InboundEvent.MessageReceived text(String user, String text, List<Evidence> evidence) {
        long n = ids.incrementAndGet();
        return new InboundEvent.MessageReceived(id.value() + "-evt-" + n, account(user), Instant.now(),
                id.value() + "-in-" + n, Content.text(text), ThreadHints.NONE, evidence, false);
    }

    /** Hands an event to the inbox exactly as a real channel would; completes after the inbox committed it. */
    public CompletionStage<Void> deliver(InboundEvent event) {
        return requireSink().deliver(event);
    }

    /** Receives a text message from {@code user}: {@link #text} then {@link #deliver}. */
    public CompletionStage<Void> receive(String user, String text) {
        return deliver(text(user, text));
    }

    /** Hands input the channel could not parse to the inbox's quarantine. */
    public CompletionStage<Void> reject(String raw, String reason) {
        return requireSink().reject(new RejectedInput(id, Optional.empty(), raw.getBytes(StandardCharsets.UTF_8),
                reason, Instant.now()));
    }

    /** Holds a media file as the platform would, for {@link #fetchMedia} and {@link #deleteMedia}. */
    public FakeChannel holdMedia(String fileId, byte[] bytes) {
        media.put(fileId, bytes.clone());
        return this;
    }

    /** Whether the channel still holds the media file. */
    public boolean holdsMedia(String fileId) {
        return media.containsKey(fileId);
    }

    /** Makes the next {@link #deleteMedia} fail (a file store that is down). */
    public FakeChannel failNextMediaDeletion() {
        failNextDeletion.set(true);
        return this;
    }

    /** The bytes of a held media file; fails for a file it does not hold. */
    @Override
    public CompletionStage<dev.switchboard.channel.FetchedMedia> fetchMedia(
            dev.switchboard.content.MediaSource.PlatformFile file) {
        byte[] bytes = media.get(file.fileId());
        return bytes == null ? java.util.concurrent.CompletableFuture.failedFuture(
                new IllegalArgumentException("no media " + file.fileId()))
                : java.util.concurrent.CompletableFuture.completedFuture(new dev.switchboard.channel.FetchedMedia(
                        bytes, "application/octet-stream", Optional.empty()));
    }

    /** Deletes a held media file (true, also when it was gone), or fails once after {@link #failNextMediaDeletion}. */
    @Override
    public CompletionStage<Boolean> deleteMedia(dev.switchboard.content.MediaSource.PlatformFile file) {
        if (failNextDeletion.getAndSet(false)) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new IllegalStateException("the fake file store is down"));
        }
        media.remove(file.fileId());
        return java.util.concurrent.CompletableFuture.completedFuture(true);
    }

    private InboundSink requireSink() {
        InboundSink s = sink;
        if (s == null) {
            throw new IllegalStateException(this + " was not started by an inbox");
        }
        return s;
    }
}
