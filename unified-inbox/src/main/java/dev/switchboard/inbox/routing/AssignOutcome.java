package dev.switchboard.inbox.routing;

/**
 * What an attempt to assign a conversation within an agent's capacity did (the store's atomic check-and-assign,
 * {@code InboxTransaction.assignWithinCapacity}).
 */
public enum AssignOutcome {
    /** The conversation is now the agent's, counted against their capacity, and out of the queue. */
    ASSIGNED,
    /** The agent already holds as many conversations as allowed (overall or of this channel type). */
    NO_CAPACITY,
    /** Another assignment (perhaps by another node) got the conversation first. */
    ALREADY_ASSIGNED,
    /** No such agent is registered. */
    NO_AGENT
}
