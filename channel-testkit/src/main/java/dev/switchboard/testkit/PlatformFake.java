package dev.switchboard.testkit;

import dev.switchboard.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An in-process stand-in for a messaging platform (a fake Bot API on MockWebServer, a GreenMail mailbox, a webchat
 * browser client) that the {@link ChannelCompatibilityKit} drives. A fake injects customer messages through the
 * channel's <em>real</em> receive path (webhook POST, poll response, SMTP then IMAP), records what the channel sent in
 * the platform's own terms, and can be told to fail the next send the way the platform fails. Each kit test creates a
 * fresh fake and closes it afterwards; fakes listen on localhost only.
 */
public interface PlatformFake extends AutoCloseable {

    /**
     * Called by the kit right after {@code createChannel}, before the channel is started, and again before the kit
     * starts a stopped channel a second time. Webhook fakes keep the channel's {@code webhook()} handler to post
     * updates to; other fakes may ignore it.
     */
    void bind(Channel channel);

    /**
     * Makes the platform deliver a text message from a customer through the channel's real receive path.
     *
     * @param platformUserId the customer's id on the platform (for email: an address)
     * @param displayName the name the platform shows for the customer; empty string when the platform gives none
     * @return the platform's id for this delivery, which the channel must report as {@code InboundEvent.eventId()}
     */
    String deliverText(String platformUserId, String displayName, String text);

    /** Makes the platform deliver the event {@code eventId} again, as platforms do when an ack got lost. */
    void redeliver(String eventId);

    /** A platform user id the channel can send to (a chat that exists, an address that accepts mail). */
    String knownRecipient();

    /** The next send is answered with the platform's rate-limit error (HTTP 429 and its retry-after). */
    void failNextSendWithRateLimit(Duration retryAfter);

    /** The next send is answered with a server error (HTTP 5xx, SMTP 4xx transient). */
    void failNextSendWithServerError();

    /** The next send is answered with a permanent error (bot blocked by the user, mailbox does not exist). */
    void failNextSendWithPermanentError();

    /** What the platform received from the channel, oldest first (failed sends are not included). */
    List<SentMessage> sent();

    /** Stops the fake's servers; never throws. */
    @Override
    void close();

    /**
     * One message as the platform received it.
     *
     * @param recipient the platform user id it was addressed to
     * @param text the text exactly as the platform received it (formatted: escaped MarkdownV2, HTML, or plain)
     * @param buttonLabels the labels of native buttons attached to it, in order; empty when none
     * @param platformMessageId the id the platform assigned and answered the channel with
     */
    record SentMessage(String recipient, String text, List<String> buttonLabels, String platformMessageId) {
        public SentMessage {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(text, "text");
            buttonLabels = List.copyOf(buttonLabels);
            Objects.requireNonNull(platformMessageId, "platformMessageId");
        }
    }
}
