package dev.switchboard.channel;

import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.MessageId;
import dev.switchboard.render.Bubble;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One platform message to send: a rendered {@link Bubble} for one recipient account. A stored message may need
 * several (long text split, media after text); each has its own idempotency key so a retried send can be recognised
 * by platforms that support it (VK {@code random_id}).
 *
 * @param messageId the stored message this part belongs to
 * @param part the index of this bubble within the message
 * @param idempotencyKey stable across retries of this exact part
 * @param replyToPlatformMessageId reply to a specific platform message, where the channel threads replies
 * @param thread for threaded channels (email): subject, the platform ids this continues, and our conversation token
 * @param senderName how the sender should be shown (agent display name), where the channel supports it
 * @param automatic true for messages no human wrote (auto-acknowledgements): email marks them Auto-Submitted
 * @param marketing present on a campaign's marketing message: its purpose and unsubscribe path (email adds the
 *     RFC 8058 headers), and the outbox sends it after replies waiting for the same channel
 */
public record OutboundMessage(ChannelId channel, ChannelAccount recipient, MessageId messageId, int part,
                              Bubble bubble, String idempotencyKey, Optional<String> replyToPlatformMessageId,
                              ThreadHints thread, Optional<String> senderName, boolean automatic,
                              Optional<MarketingNotice> marketing) {
    /** Checks the components; a missing {@code marketing} (a row stored before it existed) reads as none. */
    public OutboundMessage {
        marketing = marketing == null ? Optional.empty() : marketing;
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(bubble, "bubble");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(replyToPlatformMessageId, "replyToPlatformMessageId");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(senderName, "senderName");
        if (part < 0) {
            throw new IllegalArgumentException("part must be >= 0");
        }
    }

    /** A message that is not marketing (every reply). */
    public OutboundMessage(ChannelId channel, ChannelAccount recipient, MessageId messageId, int part, Bubble bubble,
                           String idempotencyKey, Optional<String> replyToPlatformMessageId, ThreadHints thread,
                           Optional<String> senderName, boolean automatic) {
        this(channel, recipient, messageId, part, bubble, idempotencyKey, replyToPlatformMessageId, thread,
                senderName, automatic, Optional.empty());
    }

    /** A single-bubble message with no threading, for tests and simple hosts. */
    public static OutboundMessage simple(ChannelId channel, ChannelAccount recipient, Bubble bubble) {
        MessageId id = MessageId.random();
        return new OutboundMessage(channel, recipient, id, 0, bubble, id.value() + ":0", Optional.empty(),
                ThreadHints.NONE, Optional.empty(), false);
    }

    /** The platform message ids this continues, for channels that thread by reference. */
    public List<String> references() {
        return thread.referencedPlatformMessageIds();
    }
}
