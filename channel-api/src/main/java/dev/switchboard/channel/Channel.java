package dev.switchboard.channel;

import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A connection to one messaging platform account (a bot, a mailbox, a website chat) for one tenant. The inbox starts
 * it with an {@link InboundSink}, sends rendered messages through it, and stops it. Implementations are thread-safe;
 * {@link #send} may be called concurrently (the outbox paces calls to {@link Capabilities}' rate limits). Third-party
 * channels implement this interface and prove themselves with the {@code channel-testkit} compatibility kit.
 *
 * <p>{@code toString()} of a channel and of its configuration must never show credentials.
 */
public interface Channel {

    ChannelId id();

    ChannelType type();

    TenantId tenant();

    Capabilities capabilities();

    /**
     * What this channel can show to one recipient: {@link #capabilities()} narrowed by what the recipient's own
     * client reported (a VK user whose app shows no carousels or keyboards). The inbox renders each reply with this,
     * so degraded choices are numbered and mapped back like any other. Must only narrow, never widen, and be cheap.
     */
    default Capabilities capabilities(ChannelAccount recipient) {
        return capabilities();
    }

    /**
     * Whether the platform deduplicates sends by {@link OutboundMessage#idempotencyKey()} over the sender's whole
     * history, answering a repeated key with the message it already sent (VK's {@code random_id}). When two different
     * outbox rows' keys map to the same platform value, the second customer would get nothing while the send reports
     * success; for such a channel the outbox treats a platform message id already held by another outbound message of
     * the channel as that collision and sends the row again under a new key. False by default: other platforms may
     * legitimately repeat message ids (Telegram numbers messages per chat).
     */
    default boolean deduplicatesSendsByIdempotencyKey() {
        return false;
    }

    /**
     * Begins receiving into {@code sink}. Polling channels start their poll loop (the inbox calls this only on the
     * node holding the channel's lease); webhook channels begin accepting requests on {@link #webhook()}. A second
     * call while the channel runs fails with {@link IllegalStateException}; after {@link #stop()} the channel may be
     * started again and then receives and sends as before (the inbox restarts a channel after a lost lease or an
     * outage). {@link ChannelLifecycle} implements these rules.
     */
    CompletionStage<Void> start(InboundSink sink);

    /**
     * Sends one platform message. Completes with the platform's receipt, or exceptionally with a
     * {@link ChannelException} saying whether the failure is retryable and after how long.
     */
    CompletionStage<SendReceipt> send(OutboundMessage message);

    /** Stops receiving and releases resources. Idempotent: a second call does nothing and completes normally. */
    CompletionStage<Void> stop();

    /**
     * What the channel knows of its own health: running or not, the last successful receive and send, and the problem
     * that keeps it from working (bad credentials, webhook not set, rate-limited until...). Channels that check their
     * credentials at start report {@link ChannelHealth.Status#DOWN} on an authentication failure instead of retrying.
     * Cheap and non-blocking: the inbox calls it whenever a host asks for its health.
     */
    default ChannelHealth health() {
        return ChannelHealth.unknown();
    }

    /**
     * What sending to {@code recipient} now would cost on the platform: {@link SendCost#SESSION} inside the messaging
     * window the customer opened ({@link Capabilities#messagingWindow()}), {@link SendCost#PAID} for a message the
     * platform bills (Viber's bot-initiated messages), {@link SendCost#FREE} where nothing is billed (the default).
     * Cheap and non-blocking; the answer holds at the moment of the call (a window may close before the outbox sends).
     */
    default SendCost sendCost(dev.switchboard.model.ChannelAccount recipient) {
        return SendCost.FREE;
    }

    /** The webhook endpoint for the host to mount, for channels that receive by webhook. */
    default Optional<WebhookHandler> webhook() {
        return Optional.empty();
    }

    /**
     * The request/response routes and streams this channel serves, for the host's server to mount by path (the
     * website chat's session, upload and WebSocket endpoints; a plugin's push stream). Default: none.
     */
    default HttpEndpoints endpoints() {
        return HttpEndpoints.none();
    }

    /** Fetches a media file this channel received as a {@link MediaSource.PlatformFile}. */
    default CompletionStage<FetchedMedia> fetchMedia(MediaSource.PlatformFile file) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(type() + " cannot fetch media"));
    }

    /**
     * Deletes a media file this channel keeps itself (a website chat's upload) when a customer's personal data is
     * erased. Completes with true when the file is deleted or already gone, false when the platform holds it and
     * offers no deletion, which is the default (Telegram, VK and Viber keep files under their own retention).
     */
    default CompletionStage<Boolean> deleteMedia(MediaSource.PlatformFile file) {
        return CompletableFuture.completedFuture(false);
    }

    /**
     * Acknowledges a button press to the platform where it requires one (Telegram's answerCallbackQuery), optionally
     * showing {@code text} to the customer. Channels that need no acknowledgement complete immediately.
     */
    default CompletionStage<Void> acknowledgePostback(InboundEvent.Postback postback, Optional<String> text) {
        return CompletableFuture.completedFuture(null);
    }
}
