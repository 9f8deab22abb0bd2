package dev.switchboard.inbox.campaign;

/**
 * Where one recipient of a campaign stands. {@code PENDING} and {@code DEFERRED} recipients are still to be sent to
 * (a deferred one not before its {@link CampaignRecipient#notBefore()}, e.g. after the customer's quiet hours);
 * {@code QUEUED} ones have their message in the outbox; {@code SENT} and {@code FAILED} follow the outbox;
 * {@code DELIVERED} follows a delivery (or read) receipt of the platform, on channels that report them, and a later
 * failure report moves a sent or delivered recipient to {@code FAILED}; {@code SKIPPED} ones get nothing, with a
 * {@link SkipReason}.
 */
public enum RecipientStatus {
    /** Not handled yet. */
    PENDING,
    /** Held until {@link CampaignRecipient#notBefore()} (quiet hours). */
    DEFERRED,
    /** The message is in the outbox. */
    QUEUED,
    /** The platform accepted the message. */
    SENT,
    /** The outbox gave up on the message; {@link CampaignRecipient#detail()} says why. */
    FAILED,
    /** Not sent to, for {@link CampaignRecipient#skipReason()}. */
    SKIPPED,
    /** The platform reported the message delivered to (or read by) the customer. */
    DELIVERED;

    /**
     * Whether the campaign has nothing more to do for the recipient (a platform's later receipt may still move a
     * {@code SENT} or {@code DELIVERED} one).
     */
    public boolean isFinal() {
        return this == SENT || this == DELIVERED || this == FAILED || this == SKIPPED;
    }
}
