package dev.switchboard.channel.viber;

import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.SendFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * A Viber API call that failed, classified by the {@code status} Viber answers with (errors come as HTTP 200 with a
 * non-zero status): 12 (too many requests) and network failures are retryable with backoff; 5 and 6 (receiver not
 * registered, not subscribed) are permanent for that customer; 2 (invalid token) and 7-9 (bot blocked, not found,
 * suspended) and 10 (webhook not set) are permanent and make the channel DOWN; 13 and 14 (API version) are retried
 * after the channel lowered the customer's known API version, so the retry degrades; 1, 3, 4 and 11 and anything else
 * will keep failing. The message never contains the auth token.
 */
final class ViberApiError extends ChannelException {
    static final int INVALID_URL = 1;
    static final int INVALID_AUTH_TOKEN = 2;
    static final int BAD_DATA = 3;
    static final int MISSING_DATA = 4;
    static final int RECEIVER_NOT_REGISTERED = 5;
    static final int RECEIVER_NOT_SUBSCRIBED = 6;
    static final int ACCOUNT_BLOCKED = 7;
    static final int ACCOUNT_NOT_FOUND = 8;
    static final int ACCOUNT_SUSPENDED = 9;
    static final int WEBHOOK_NOT_SET = 10;
    static final int NO_SUITABLE_DEVICE = 11;
    static final int TOO_MANY_REQUESTS = 12;
    static final int API_VERSION_NOT_SUPPORTED = 13;
    static final int INCOMPATIBLE_WITH_VERSION = 14;

    private final int status;

    private ViberApiError(SendFailure failure, int status, Throwable cause) {
        super(failure, cause);
        this.status = status;
    }

    /** Viber's {@code status}, or 0 for network failures and unreadable answers. */
    int status() {
        return status;
    }

    /** Whether the status says the bot itself cannot work (token, account, webhook): channel health DOWN. */
    boolean isAccountProblem() {
        return status == INVALID_AUTH_TOKEN || (status >= ACCOUNT_BLOCKED && status <= WEBHOOK_NOT_SET);
    }

    /** Whether the status says this customer cannot be messaged (not registered, not subscribed). */
    boolean isRecipientGone() {
        return status == RECEIVER_NOT_REGISTERED || status == RECEIVER_NOT_SUBSCRIBED;
    }

    boolean isApiVersionProblem() {
        return status == API_VERSION_NOT_SUPPORTED || status == INCOMPATIBLE_WITH_VERSION;
    }

    /** Classifies Viber's {@code {"status":N,"status_message":"..."}} answer to {@code method}. */
    static ViberApiError fromStatus(String method, int status, String statusMessage) {
        String text = method + ": status " + status + " (" + statusMessage + ")";
        String code = Integer.toString(status);
        SendFailure failure = switch (status) {
            case TOO_MANY_REQUESTS -> new SendFailure(FailureKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(1)),
                    Optional.of(code), text + ": too many requests, retried with backoff");
            case RECEIVER_NOT_REGISTERED -> SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, code,
                    text + ": the customer is not a Viber user (any more)");
            case RECEIVER_NOT_SUBSCRIBED -> SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, code,
                    text + ": the customer is not subscribed to the bot; Viber allows messages to subscribers only");
            case INVALID_AUTH_TOKEN -> SendFailure.of(FailureKind.UNAUTHORIZED, code,
                    text + ": Viber refused the bot's auth token");
            case ACCOUNT_BLOCKED, ACCOUNT_NOT_FOUND, ACCOUNT_SUSPENDED -> SendFailure.of(FailureKind.NOT_ALLOWED,
                    code, text + ": the bot account is blocked, gone or suspended");
            case WEBHOOK_NOT_SET -> SendFailure.of(FailureKind.NOT_ALLOWED, code,
                    text + ": no webhook is set; Viber refuses sends until one is (ViberChannel.registerWebhook)");
            case API_VERSION_NOT_SUPPORTED, INCOMPATIBLE_WITH_VERSION -> new SendFailure(FailureKind.UNAVAILABLE,
                    Optional.of(Duration.ofSeconds(1)), Optional.of(code),
                    text + ": the customer's client is too old for the message; retried in a simpler form");
            default -> SendFailure.of(FailureKind.INVALID_REQUEST, code, text);
        };
        return new ViberApiError(failure, status, null);
    }

    /** A network failure, timeout or an HTTP error: retryable. {@code redactedMessage} holds no token. */
    static ViberApiError network(String method, String redactedMessage) {
        return new ViberApiError(SendFailure.of(FailureKind.UNAVAILABLE, null,
                method + ": network error: " + redactedMessage), 0, null);
    }

    /** Viber answered something other than its documented JSON shape. */
    static ViberApiError malformed(String method, int httpStatus, String what) {
        FailureKind kind = httpStatus >= 500 || httpStatus == 429 || httpStatus < 400 ? FailureKind.UNAVAILABLE
                : FailureKind.INVALID_REQUEST;
        return new ViberApiError(SendFailure.of(kind, httpStatus == 200 ? null : "HTTP " + httpStatus,
                method + ": HTTP " + httpStatus + ", " + what), 0, null);
    }

    /** A request the channel refuses to make because it can only fail. */
    static ViberApiError invalid(String description) {
        return new ViberApiError(SendFailure.of(FailureKind.INVALID_REQUEST, null, description), 0, null);
    }

    /** A send refused without calling Viber: the customer unsubscribed (or Viber said 5/6 earlier). */
    static ViberApiError unsubscribed(String user) {
        return new ViberApiError(SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE,
                Integer.toString(RECEIVER_NOT_SUBSCRIBED), "send_message: customer " + user + " unsubscribed from "
                        + "the bot (or Viber answered 5/6 before); not sent until they subscribe or write again"),
                RECEIVER_NOT_SUBSCRIBED, null);
    }
}
