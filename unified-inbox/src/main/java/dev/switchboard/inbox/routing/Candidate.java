package dev.switchboard.inbox.routing;

import java.util.Objects;

/**
 * An agent a {@link Router} may choose for a waiting conversation: online, serving its queue, having every skill it
 * requires and room for it (overall and on its channel type), with their current load. Immutable.
 *
 * @param status the agent with presence and last assignment
 * @param open how many open conversations they hold now, over all channels
 * @param openOnChannelType how many of those run on the conversation's channel type
 */
public record Candidate(AgentStatus status, int open, int openOnChannelType) {

    /** Checks that no component is null. */
    public Candidate {
        Objects.requireNonNull(status, "status");
    }

    /** The agent's id. */
    public String id() {
        return status.id();
    }

    /** The agent's settings. */
    public Agent agent() {
        return status.agent();
    }

    /** Where the conversation's language stands in the agent's languages: 0 for their first, larger is worse. */
    public int languageRank(QueuedConversation conversation) {
        if (conversation.language().isEmpty()) {
            return 0;
        }
        int i = agent().languages().indexOf(conversation.language().get());
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}
