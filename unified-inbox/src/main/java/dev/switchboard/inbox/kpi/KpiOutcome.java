package dev.switchboard.inbox.kpi;

/** How a conversation cycle ended, as its {@link KpiFact} records it. */
public enum KpiOutcome {
    /** Not resolved yet. */
    OPEN,
    /** Resolved by an agent, a rule or the host ({@code CONVERSATION_RESOLVED}). */
    RESOLVED,
    /**
     * Resolved because a customer merge folded the conversation into another one ({@code CONVERSATION_RESOLVED} with
     * {@code reason} {@code merged}): the request continues in the kept conversation, so the cycle counts neither as
     * resolved nor in the resolution time.
     */
    FOLDED
}
