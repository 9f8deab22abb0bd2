package dev.switchboard.inbox.routing;

import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * One open conversation counted against an agent's capacity, from the moment routing assigned it until it is resolved,
 * handed back or returned to the queue. Immutable.
 *
 * @param tenant the tenant
 * @param conversation the conversation
 * @param agent the agent holding it
 * @param channelType the type of the channel the conversation runs on (the per-channel-type limit it counts against)
 * @param assignedAt when it was assigned
 */
public record Assignment(TenantId tenant, ConversationId conversation, String agent, ChannelType channelType,
                         Instant assignedAt) {

    /** Checks that no component is null. */
    public Assignment {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(channelType, "channelType");
        Objects.requireNonNull(assignedAt, "assignedAt");
    }
}
