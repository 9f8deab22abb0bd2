package dev.switchboard.inbox.routing;

import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A conversation waiting in a queue for an agent, with what routing needs to place it: its queue, priority, channel
 * type, language and required skills, and since when it waits. Queues are served by priority, then longest wait
 * ({@link #SERVICE_ORDER}). Immutable.
 *
 * @param tenant the tenant
 * @param conversation the waiting conversation
 * @param customer its customer (sticky routing looks up who served them before)
 * @param queue the queue (a team name, or {@link RoutingSettings#DEFAULT_QUEUE})
 * @param priority the conversation's priority when it was queued
 * @param channelType the type of its channel
 * @param language the customer's language, from their profile or the channel, when known
 * @param skills the skills an agent must have to take it
 * @param waitingSince when it started waiting (for a conversation handed back, when the customer last wrote)
 */
public record QueuedConversation(TenantId tenant, ConversationId conversation, CustomerId customer, String queue,
                                 Priority priority, ChannelType channelType, Optional<String> language,
                                 Set<String> skills, Instant waitingSince) {

    /** Highest priority first, then the longest wait, then the id (so every node sees one order). */
    public static final Comparator<QueuedConversation> SERVICE_ORDER = Comparator
            .comparing(QueuedConversation::priority, Comparator.reverseOrder())
            .thenComparing(QueuedConversation::waitingSince)
            .thenComparing(q -> q.conversation().value());

    /** Checks that no component is null and copies the skills. */
    public QueuedConversation {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(channelType, "channelType");
        Objects.requireNonNull(language, "language");
        skills = Set.copyOf(skills);
        Objects.requireNonNull(waitingSince, "waitingSince");
    }

    /** How long it has waited at {@code now}. */
    public Duration waited(Instant now) {
        Duration d = Duration.between(waitingSince, now);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
