package dev.switchboard.inbox;

import dev.switchboard.model.ChannelId;
import java.util.Objects;
import java.util.Optional;

/**
 * Optional details of a reply: which of the customer's channels to use (default: the one they last wrote from), who
 * wrote it, an email subject, a platform message to reply to, and whether no human wrote it (auto-acknowledgements).
 * Immutable; start from {@link #defaults()} and chain the withers.
 */
public record ReplyOptions(Optional<ChannelId> channel, Optional<String> agent, Optional<String> senderName,
                           Optional<String> subject, Optional<String> replyToPlatformMessageId, boolean automatic) {

    private static final ReplyOptions DEFAULTS = new ReplyOptions(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), false);

    public ReplyOptions {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(senderName, "senderName");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(replyToPlatformMessageId, "replyToPlatformMessageId");
    }

    public static ReplyOptions defaults() {
        return DEFAULTS;
    }

    /** Send through this channel instead of the customer's last inbound channel. */
    public ReplyOptions via(ChannelId channel) {
        return new ReplyOptions(Optional.of(channel), agent, senderName, subject, replyToPlatformMessageId, automatic);
    }

    /** The agent who wrote the reply (stored on the message). */
    public ReplyOptions agent(String agent) {
        return new ReplyOptions(channel, Optional.of(agent), senderName, subject, replyToPlatformMessageId, automatic);
    }

    /** How the sender is shown where the channel supports it. */
    public ReplyOptions senderName(String name) {
        return new ReplyOptions(channel, agent, Optional.of(name), subject, replyToPlatformMessageId, automatic);
    }

    /** The subject, for channels that have one (email). */
    public ReplyOptions subject(String subject) {
        return new ReplyOptions(channel, agent, senderName, Optional.of(subject), replyToPlatformMessageId, automatic);
    }

    /** Reply to a specific platform message, where the channel threads replies. */
    public ReplyOptions replyTo(String platformMessageId) {
        return new ReplyOptions(channel, agent, senderName, subject, Optional.of(platformMessageId), automatic);
    }

    /** Marks the reply as not written by a human (it then does not count as the first response). */
    public ReplyOptions automatic(boolean automatic) {
        return new ReplyOptions(channel, agent, senderName, subject, replyToPlatformMessageId, automatic);
    }
}
