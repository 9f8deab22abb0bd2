package dev.switchboard.inbox;

import dev.switchboard.model.ChannelId;
import java.util.Objects;
import java.util.Optional;

/**
 * Optional details of a reply: which of the customer's channels to use (default: the one they last wrote from), who
 * wrote it, how the sender is shown, an email subject, a platform message to quote, and whether no human wrote it
 * (auto-acknowledgements). Immutable and thread-safe; start from {@link #defaults()} and chain the withers, each of
 * which has the name of the component it sets:
 *
 * <pre>{@code
 * ReplyOptions options = ReplyOptions.defaults().channel(ChannelId.of("email")).agent("ann").subject("Your order");
 * }</pre>
 *
 * @param channel the channel to send through; empty means the inbox picks one (see {@link Inbox#reply})
 * @param agent the agent who wrote the reply, stored on the message and in the {@code REPLY_QUEUED} event
 * @param senderName how the sender is shown where the channel supports it (an email's From name)
 * @param subject the subject, for channels that have one (email); empty means the conversation's subject
 * @param quotedPlatformMessageId the platform id of a message this reply quotes (answers visibly), where the channel
 *     threads replies (Telegram's reply-to, VK's reply_to); the first bubble carries it
 * @param automated whether no human wrote the reply (an auto-acknowledgement): it then does not count as the
 *     conversation's first response, and email marks it {@code Auto-Submitted}. The same word as
 *     {@code InboundEvent.MessageReceived#automated()} for inbound mail no human wrote.
 * @param refusesPaidSends whether to refuse the reply when the platform would bill it (Viber's bot-initiated
 *     messages outside the 24-hour window the customer opened; see {@code Channel.sendCost}): the reply then fails
 *     with {@link ContactNotAllowedException.Reason#PAID_SEND_REFUSED} and nothing is queued
 */
public record ReplyOptions(Optional<ChannelId> channel, Optional<String> agent, Optional<String> senderName,
                           Optional<String> subject, Optional<String> quotedPlatformMessageId, boolean automated,
                           boolean refusesPaidSends, boolean preferredRouting) {

    private static final ReplyOptions DEFAULTS = new ReplyOptions(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), false, false, false);

    /** Checks that no component is null. */
    public ReplyOptions {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(senderName, "senderName");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(quotedPlatformMessageId, "quotedPlatformMessageId");
    }

    /** Options that allow paid sends (the form before {@code refusesPaidSends} existed). */
    public ReplyOptions(Optional<ChannelId> channel, Optional<String> agent, Optional<String> senderName,
                        Optional<String> subject, Optional<String> quotedPlatformMessageId, boolean automated) {
        this(channel, agent, senderName, subject, quotedPlatformMessageId, automated, false, false);
    }

    /** Options without preferred routing (the form before {@code preferredRouting} existed). */
    public ReplyOptions(Optional<ChannelId> channel, Optional<String> agent, Optional<String> senderName,
                        Optional<String> subject, Optional<String> quotedPlatformMessageId, boolean automated,
                        boolean refusesPaidSends) {
        this(channel, agent, senderName, subject, quotedPlatformMessageId, automated, refusesPaidSends, false);
    }

    /** No channel, agent, sender name, subject or quote; written by a human; paid sends allowed. */
    public static ReplyOptions defaults() {
        return DEFAULTS;
    }

    /** Send through this channel instead of the customer's last inbound channel. */
    public ReplyOptions channel(ChannelId channel) {
        return new ReplyOptions(Optional.of(Objects.requireNonNull(channel, "channel")), agent, senderName, subject,
                quotedPlatformMessageId, automated,
                refusesPaidSends, preferredRouting);
    }

    /** The agent who wrote the reply (stored on the message). */
    public ReplyOptions agent(String agent) {
        return new ReplyOptions(channel, Optional.of(Objects.requireNonNull(agent, "agent")), senderName, subject,
                quotedPlatformMessageId, automated,
                refusesPaidSends, preferredRouting);
    }

    /** How the sender is shown where the channel supports it. */
    public ReplyOptions senderName(String name) {
        return new ReplyOptions(channel, agent, Optional.of(Objects.requireNonNull(name, "senderName")), subject,
                quotedPlatformMessageId, automated,
                refusesPaidSends, preferredRouting);
    }

    /** The subject, for channels that have one (email). */
    public ReplyOptions subject(String subject) {
        return new ReplyOptions(channel, agent, senderName, Optional.of(Objects.requireNonNull(subject, "subject")),
                quotedPlatformMessageId, automated,
                refusesPaidSends, preferredRouting);
    }

    /**
     * Quote this platform message (its {@code Message.platformMessageId()}), where the channel threads replies. Not
     * to be confused with an email Reply-To address, which is a setting of the email channel.
     */
    public ReplyOptions quoting(String platformMessageId) {
        return new ReplyOptions(channel, agent, senderName, subject,
                Optional.of(Objects.requireNonNull(platformMessageId, "platformMessageId")), automated,
                refusesPaidSends, preferredRouting);
    }

    /** Marks the reply as not written by a human (it then does not count as the first response). */
    public ReplyOptions automated(boolean automated) {
        return new ReplyOptions(channel, agent, senderName, subject, quotedPlatformMessageId, automated,
                refusesPaidSends, preferredRouting);
    }

    /**
     * Refuses the reply (with {@link ContactNotAllowedException.Reason#PAID_SEND_REFUSED}, nothing queued) when the
     * channel says the platform would bill it: on Viber, a message outside the 24-hour window the customer opened.
     */
    public ReplyOptions refusePaidSends() {
        return new ReplyOptions(channel, agent, senderName, subject, quotedPlatformMessageId, automated, true,
                preferredRouting);
    }

    /**
     * Sends through the customer's preferred available channel: the first of their preferred channel types (in
     * order) on which the inbox has a channel, the customer an account, and nothing forbids the reply; when none
     * is, the usual choice (the channel they last wrote from, ...). A channel type they asked never to be used is
     * never picked; a named {@link #channel(ChannelId)} overrides this.
     */
    public ReplyOptions viaPreferredChannel() {
        return new ReplyOptions(channel, agent, senderName, subject, quotedPlatformMessageId, automated,
                refusesPaidSends, true);
    }
}
