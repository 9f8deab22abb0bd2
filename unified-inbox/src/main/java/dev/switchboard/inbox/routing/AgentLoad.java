package dev.switchboard.inbox.routing;

import dev.switchboard.model.ChannelType;
import java.util.Objects;

/**
 * How many open assigned conversations of one channel type an agent holds, as the store counts them. Immutable.
 *
 * @param agent the agent's id
 * @param channelType the channel type
 * @param open how many
 */
public record AgentLoad(String agent, ChannelType channelType, int open) {

    /** Checks that no component is null. */
    public AgentLoad {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(channelType, "channelType");
    }
}
