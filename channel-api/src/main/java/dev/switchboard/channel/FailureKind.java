package dev.switchboard.channel;

/**
 * Why a send failed, in terms the outbox acts on. {@link #isRetryable()} tells the outbox whether to try again; the
 * rest is for humans and KPIs.
 */
public enum FailureKind {
    /** The platform asked us to slow down (429, flood control); retry after its retry-after. */
    RATE_LIMITED(true),
    /** The platform is unavailable or failed internally (5xx, network error, timeout). */
    UNAVAILABLE(true),
    /** The recipient blocked us, left, or cannot be messaged (403 bot blocked, Viber not subscribed). */
    RECIPIENT_UNREACHABLE(false),
    /** The request itself is wrong and will stay wrong (400 bad request, message too long, bad keyboard). */
    INVALID_REQUEST(false),
    /** Our credentials were refused; retrying will not help until someone fixes the configuration. */
    UNAUTHORIZED(false),
    /** The platform's rules forbid this message now (messaging window closed, no consent). */
    NOT_ALLOWED(false);

    private final boolean retryable;

    FailureKind(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean isRetryable() {
        return retryable;
    }
}
