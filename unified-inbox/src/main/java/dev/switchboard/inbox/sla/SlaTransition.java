package dev.switchboard.inbox.sla;

import java.util.Objects;

/**
 * One conditional change of a stored deadline, as the timer publishes a batch of warnings and breaches: replace
 * {@code from} by {@code to} only if the stored row is still exactly {@code from} (see
 * {@link dev.switchboard.inbox.spi.InboxTransaction#transitionSla(java.util.List)}). Both name the same deadline: the
 * same tenant, conversation and kind. Immutable.
 */
public record SlaTransition(SlaDeadline from, SlaDeadline to) {
    public SlaTransition {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.tenant().equals(to.tenant()) || !from.conversation().equals(to.conversation())
                || from.kind() != to.kind()) {
            throw new IllegalArgumentException("an SLA transition changes one deadline: from " + from.tenant().value()
                    + "/" + from.conversation().value() + " " + from.kind() + " to " + to.tenant().value() + "/"
                    + to.conversation().value() + " " + to.kind());
        }
    }
}
