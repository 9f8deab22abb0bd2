package dev.switchboard.inbox.routing;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered agent as the store keeps them: their settings, their presence and since when, and when they were last
 * assigned a conversation (round robin picks the agent assigned longest ago; least busy breaks ties with it).
 * Immutable.
 *
 * @param agent the agent's settings
 * @param presence online, away or offline
 * @param presenceSince when the presence last changed (the offline grace period counts from here)
 * @param lastAssignedAt when the routing last assigned them a conversation; empty when never
 */
public record AgentStatus(Agent agent, Presence presence, Instant presenceSince, Optional<Instant> lastAssignedAt) {

    /** Checks that no component is null. */
    public AgentStatus {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(presenceSince, "presenceSince");
        Objects.requireNonNull(lastAssignedAt, "lastAssignedAt");
    }

    /** The agent's id. */
    public String id() {
        return agent.id();
    }

    /** A copy with other settings. */
    public AgentStatus with(Agent changed) {
        return new AgentStatus(changed, presence, presenceSince, lastAssignedAt);
    }

    /** A copy with another presence, changed at {@code at}. */
    public AgentStatus with(Presence changed, Instant at) {
        return new AgentStatus(agent, changed, at, lastAssignedAt);
    }

    /** A copy last assigned at {@code at}. */
    public AgentStatus assignedAt(Instant at) {
        return new AgentStatus(agent, presence, presenceSince, Optional.of(at));
    }
}
