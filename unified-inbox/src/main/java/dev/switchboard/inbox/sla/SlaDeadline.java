package dev.switchboard.inbox.sla;

import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored SLA deadline of a conversation, one per {@link SlaKind}: the policy that set it, when its clock started,
 * when it is due, when its warning is due (empty once published, or when the policy warns never), when it was paused,
 * and its state. The timer fires on {@link #nextFire()}; every node reads the same rows, so a restart or another node
 * continues where the last one stopped. Immutable.
 *
 * @param policy the name of the {@link SlaPolicy} that set the targets
 * @param pausedAt when the clock stopped, while {@link SlaState#PAUSED}
 */
public record SlaDeadline(TenantId tenant, ConversationId conversation, SlaKind kind, String policy, SlaState state,
                          Instant startedAt, Instant dueAt, Optional<Instant> warnAt, Optional<Instant> pausedAt) {
    public SlaDeadline {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(warnAt, "warnAt");
        Objects.requireNonNull(pausedAt, "pausedAt");
    }

    /** When the timer must look at this deadline next: its warning, then its due time; empty when not running. */
    public Optional<Instant> nextFire() {
        if (!state.active()) {
            return Optional.empty();
        }
        return state == SlaState.RUNNING && warnAt.isPresent() && warnAt.get().isBefore(dueAt) ? warnAt
                : Optional.of(dueAt);
    }

    /** This deadline in another state. */
    public SlaDeadline withState(SlaState newState) {
        return new SlaDeadline(tenant, conversation, kind, policy, newState, startedAt, dueAt, warnAt, pausedAt);
    }
}
