package dev.switchboard.channel.telegram;

import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.SendFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Bot API call that failed, classified for the channel-api error model: the {@link SendFailure} the outbox acts on,
 * plus what the Telegram channel itself needs (the HTTP/Bot API error code and {@code migrate_to_chat_id}). This is the
 * {@link ChannelException} the channel's stages complete with.
 */
final class BotApiError extends ChannelException {
    private final int errorCode;
    private final OptionalLong migrateToChatId;

    BotApiError(SendFailure failure, int errorCode, OptionalLong migrateToChatId, Throwable cause) {
        super(failure, cause);
        this.errorCode = errorCode;
        this.migrateToChatId = migrateToChatId;
    }

    /** The Bot API's {@code error_code} (an HTTP status), or 0 for network failures. */
    int errorCode() {
        return errorCode;
    }

    OptionalLong migrateToChatId() {
        return migrateToChatId;
    }

    boolean isConflict() {
        return errorCode == 409;
    }

    /**
     * Whether the Bot API refused the token: 401 Unauthorized for a well-formed but wrong or revoked token, 404 Not
     * Found for one Telegram cannot parse (it answers 404 on every method then). Only meaningful for methods that
     * exist (getMe, getUpdates, the send methods), not for file downloads.
     */
    boolean isBadToken() {
        return errorCode == 401 || errorCode == 404;
    }

    /**
     * Classifies a Bot API error answer.
     *
     * @param retryAfterHeader the HTTP Retry-After header in seconds, used when the body has no retry_after
     */
    static BotApiError fromApi(String method, int errorCode, String description, OptionalLong retryAfterSeconds,
                               OptionalLong retryAfterHeader, OptionalLong migrateToChatId) {
        String text = method + ": " + description;
        String code = Integer.toString(errorCode);
        SendFailure failure;
        if (errorCode == 429) {
            OptionalLong seconds = retryAfterSeconds.isPresent() ? retryAfterSeconds : retryAfterHeader;
            failure = new SendFailure(FailureKind.RATE_LIMITED,
                    seconds.isPresent() ? Optional.of(Duration.ofSeconds(seconds.getAsLong())) : Optional.empty(),
                    Optional.of(code), text);
        } else if (errorCode >= 500) {
            failure = SendFailure.of(FailureKind.UNAVAILABLE, code, text);
        } else if (errorCode == 401) {
            failure = SendFailure.of(FailureKind.UNAUTHORIZED, code, text + " (check the bot token)");
        } else if (errorCode == 403) {
            failure = SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, code, text);
        } else {
            // 400 (chat not found, message is too long, can't parse entities), 404 (unknown method), 409 (conflict)
            failure = SendFailure.of(FailureKind.INVALID_REQUEST, code, text);
        }
        return new BotApiError(failure, errorCode, migrateToChatId, null);
    }

    /** A network failure or timeout: retryable. {@code cause} must already be redacted. */
    static BotApiError network(String method, String redactedMessage, Throwable redactedCause) {
        return new BotApiError(SendFailure.of(FailureKind.UNAVAILABLE, null,
                method + ": network error: " + redactedMessage), 0, OptionalLong.empty(), redactedCause);
    }

    /** The Bot API answered something that is not its documented JSON shape. */
    static BotApiError malformed(String method, int httpStatus, String what) {
        FailureKind kind = httpStatus == 429 ? FailureKind.RATE_LIMITED
                : httpStatus >= 500 || httpStatus < 400 ? FailureKind.UNAVAILABLE : FailureKind.INVALID_REQUEST;
        return new BotApiError(SendFailure.of(kind, Integer.toString(httpStatus),
                method + ": HTTP " + httpStatus + ", " + what), httpStatus, OptionalLong.empty(), null);
    }

    /** A request the channel refuses to make because it can only fail. */
    static BotApiError invalid(String description) {
        return new BotApiError(SendFailure.of(FailureKind.INVALID_REQUEST, null, description), 0,
                OptionalLong.empty(), null);
    }
}
