package dev.switchboard.channel;

import java.util.Objects;

/**
 * The exception a channel completes a send (or another platform call) with when it fails. Carries a
 * {@link SendFailure} that says whether to retry and when. The message never contains credentials.
 */
public class ChannelException extends RuntimeException {
    private final transient SendFailure failure;

    public ChannelException(SendFailure failure) {
        this(failure, null);
    }

    public ChannelException(SendFailure failure, Throwable cause) {
        super(describe(failure), cause);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public SendFailure failure() {
        return failure;
    }

    public boolean retryable() {
        return failure.retryable();
    }

    private static String describe(SendFailure f) {
        StringBuilder sb = new StringBuilder(f.kind().name()).append(": ").append(f.description());
        f.platformCode().ifPresent(c -> sb.append(" (code ").append(c).append(')'));
        f.retryAfter().ifPresent(d -> sb.append(", retry after ").append(d.toMillis()).append(" ms"));
        return sb.toString();
    }
}
