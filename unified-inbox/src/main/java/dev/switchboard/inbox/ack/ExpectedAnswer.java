package dev.switchboard.inbox.ack;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a customer who writes now can expect an answer: whether the business is open, the response target that
 * applies, the next opening (now when open) and the deadline, the target counted in business time from now.
 * Immutable.
 *
 * @param openNow whether the calendar is open at the moment the customer wrote
 * @param target the response target of the channel type, in business time
 * @param opensAt when the business opens next ({@code at} itself when open)
 * @param expectedBy the target added to now in business time
 */
public record ExpectedAnswer(boolean openNow, Duration target, Instant opensAt, Instant expectedBy) {
    /** Checks that no component is null. */
    public ExpectedAnswer {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(opensAt, "opensAt");
        Objects.requireNonNull(expectedBy, "expectedBy");
    }
}
