package dev.switchboard.inbox.campaign;

/** Why a campaign skipped a recipient (sent them nothing). */
public enum SkipReason {
    /** No granted consent for the campaign's purpose is in force on any channel type the customer can be reached on. */
    NO_CONSENT,
    /**
     * The customer consented, but has no account on a configured channel that may be used: every one is a
     * do-not-contact type, blocked, or the customer blocked us there.
     */
    NO_ALLOWED_CHANNEL,
    /** Every allowed channel would bill the message (Viber outside an open window) and the campaign did not opt in. */
    PAID_SEND_NOT_ALLOWED,
    /** The customer (after merges) already got this campaign's message through another entry of the audience. */
    DUPLICATE,
    /** The audience named a customer id the tenant does not know. */
    UNKNOWN_CUSTOMER,
    /** The campaign was cancelled before the recipient's message was queued. */
    CANCELLED
}
