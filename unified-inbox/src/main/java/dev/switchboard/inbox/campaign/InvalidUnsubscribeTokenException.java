package dev.switchboard.inbox.campaign;

/**
 * An unsubscribe token was refused: malformed, forged or altered, or issued for another tenant. Nothing was recorded.
 * The message says which, never the token's secret.
 */
public final class InvalidUnsubscribeTokenException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An exception with this explanation. */
    public InvalidUnsubscribeTokenException(String message) {
        super(message);
    }
}
