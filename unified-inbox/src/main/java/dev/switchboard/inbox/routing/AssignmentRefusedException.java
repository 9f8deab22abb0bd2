package dev.switchboard.inbox.routing;

import java.util.Objects;

/**
 * Thrown by {@code TenantInbox.assign} when the tenant routes conversations and the assignment would break the
 * capacity rule: the agent is not registered ({@link AssignOutcome#NO_AGENT}), holds as many conversations as allowed
 * ({@link AssignOutcome#NO_CAPACITY}), or another assignment got the conversation first
 * ({@link AssignOutcome#ALREADY_ASSIGNED}). Nothing changed when it is thrown; the message names the conversation and
 * the agent.
 */
public final class AssignmentRefusedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final AssignOutcome outcome;

    /** An assignment refused with {@code outcome} (never {@link AssignOutcome#ASSIGNED}). */
    public AssignmentRefusedException(AssignOutcome outcome, String message) {
        super(message);
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        if (outcome == AssignOutcome.ASSIGNED) {
            throw new IllegalArgumentException("an assignment that succeeded is not refused");
        }
    }

    /** Why the assignment was refused. */
    public AssignOutcome outcome() {
        return outcome;
    }
}
