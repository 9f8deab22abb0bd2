package dev.switchboard.channel;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failed send as data: what kind of failure (retryable or permanent), the platform's retry-after when it gave one,
 * the platform's error code and description. Never contains credentials.
 */
public record SendFailure(FailureKind kind, Optional<Duration> retryAfter, Optional<String> platformCode,
                          String description) {
    public SendFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(platformCode, "platformCode");
        Objects.requireNonNull(description, "description");
    }

    public boolean retryable() {
        return kind.isRetryable();
    }

    public static SendFailure rateLimited(Duration retryAfter, String code, String description) {
        return new SendFailure(FailureKind.RATE_LIMITED, Optional.of(retryAfter), Optional.of(code), description);
    }

    public static SendFailure of(FailureKind kind, String code, String description) {
        return new SendFailure(kind, Optional.empty(), Optional.ofNullable(code), description);
    }
}
