package dev.switchboard.channel.vk;

import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.SendFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * A VK API call that failed, classified by VK's {@code error_code} for the channel-api error model: 6 (too many
 * requests per second), 9 (flood control) and 29 (rate limit reached) are rate limits, 10 (internal error) and
 * network failures are outages, all retryable; 5 (authorization failed) is a credentials problem; 900/901/902 mean
 * this customer cannot be messaged; 14 (captcha) cannot be solved by a community bot; anything else is a request
 * that will keep failing. The message never contains the access token.
 */
final class VkApiError extends ChannelException {
    static final int AUTH_FAILED = 5;
    static final int TOO_MANY_PER_SECOND = 6;
    static final int FLOOD_CONTROL = 9;
    static final int INTERNAL = 10;
    static final int CAPTCHA = 14;
    static final int RATE_LIMIT_REACHED = 29;
    static final int BLACKLISTED = 900;
    static final int NO_PERMISSION = 901;
    static final int PRIVACY = 902;

    private final int errorCode;

    private VkApiError(SendFailure failure, int errorCode, Throwable cause) {
        super(failure, cause);
        this.errorCode = errorCode;
    }

    /** VK's {@code error_code}, or 0 for network failures and unreadable answers. */
    int errorCode() {
        return errorCode;
    }

    boolean isAuthFailure() {
        return errorCode == AUTH_FAILED;
    }

    /** Classifies VK's {@code {"error":{"error_code","error_msg"}}} answer to {@code method}. */
    static VkApiError fromApi(String method, int code, String errorMsg) {
        String text = method + ": " + errorMsg;
        String c = Integer.toString(code);
        SendFailure failure = switch (code) {
            case TOO_MANY_PER_SECOND -> SendFailure.rateLimited(Duration.ofSeconds(1), c, text);
            case FLOOD_CONTROL -> SendFailure.rateLimited(Duration.ofSeconds(30), c,
                    text + " (flood control: too many identical or too many messages)");
            case RATE_LIMIT_REACHED -> SendFailure.rateLimited(Duration.ofMinutes(1), c,
                    text + " (the method's quota is exhausted)");
            case INTERNAL -> new SendFailure(FailureKind.UNAVAILABLE, Optional.of(Duration.ofSeconds(2)),
                    Optional.of(c), text);
            case AUTH_FAILED -> SendFailure.of(FailureKind.UNAUTHORIZED, c,
                    text + " (the community access token was refused: create a new one in the community's settings)");
            case BLACKLISTED, NO_PERMISSION, PRIVACY -> SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, c,
                    text + (code == NO_PERMISSION ? " (the customer has not allowed messages from the community)"
                            : code == PRIVACY ? " (the customer's privacy settings forbid it)"
                            : " (the customer blacklisted the community)"));
            case CAPTCHA -> SendFailure.of(FailureKind.NOT_ALLOWED, c,
                    text + " (VK demands a captcha, which a community bot cannot solve: the send will not be "
                            + "retried; slow down or ask VK support)");
            case 15, 912, 917 -> SendFailure.of(FailureKind.NOT_ALLOWED, c, text);
            default -> SendFailure.of(FailureKind.INVALID_REQUEST, c, text);
        };
        return new VkApiError(failure, code, null);
    }

    /** A network failure, timeout or HTTP error without a VK body: retryable. {@code cause} must be redacted. */
    static VkApiError network(String method, String redactedMessage, Throwable redactedCause) {
        return new VkApiError(SendFailure.of(FailureKind.UNAVAILABLE, null,
                method + ": network error: " + redactedMessage), 0, redactedCause);
    }

    /** VK answered something that is not its documented JSON shape. */
    static VkApiError malformed(String method, int httpStatus, String what) {
        FailureKind kind = httpStatus >= 500 || httpStatus == 429 || httpStatus < 400 ? FailureKind.UNAVAILABLE
                : FailureKind.INVALID_REQUEST;
        return new VkApiError(SendFailure.of(kind, httpStatus == 200 ? null : "HTTP " + httpStatus,
                method + ": HTTP " + httpStatus + ", " + what), 0, null);
    }

    /** A request the channel refuses to make because it can only fail. */
    static VkApiError invalid(String description) {
        return new VkApiError(SendFailure.of(FailureKind.INVALID_REQUEST, null, description), 0, null);
    }

    /** A send the channel refuses without calling VK because the customer denied messages earlier. */
    static VkApiError denied(String peer) {
        return new VkApiError(SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, Integer.toString(NO_PERMISSION),
                "messages.send: customer " + peer + " denied messages from the community (message_deny or an "
                        + "earlier error 901/902); not sent until they allow them again (message_allow)"), NO_PERMISSION, null);
    }
}
