package dev.switchboard.channel;

/**
 * What sending one message to a customer would cost the business on the channel's platform, as
 * {@link Channel#sendCost} answers it before a send: {@link #FREE} on platforms that do not charge per message,
 * {@link #SESSION} inside a messaging window the customer opened (Viber's 24 hours after the customer's last message:
 * free), {@link #PAID} outside it (a bot-initiated message the platform bills). Hosts that must not spend money without
 * asking refuse paid sends ({@code ReplyOptions.refusePaidSends()} in the unified inbox).
 */
public enum SendCost {
    /** The platform does not charge for this message. */
    FREE,
    /** Free because it answers inside the messaging window the customer opened ({@link Capabilities#messagingWindow}). */
    SESSION,
    /** Billed by the platform: no open messaging window (a bot-initiated message). */
    PAID;

    /** Whether the platform bills the message. */
    public boolean paid() {
        return this == PAID;
    }
}
