package dev.switchboard.store;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.TenantId;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A filter over a tenant's conversations: by status (empty means any), assignee, and channel (the channel the
 * customer last wrote from), newest activity first, paged.
 */
public record ConversationQuery(TenantId tenant, Set<ConversationStatus> statuses, Optional<String> assignee,
                                Optional<ChannelId> channel, PageRequest page) {
    public ConversationQuery {
        Objects.requireNonNull(tenant, "tenant");
        statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        Objects.requireNonNull(assignee, "assignee");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(page, "page");
    }

    public static ConversationQuery all(TenantId tenant, int limit) {
        return new ConversationQuery(tenant, Set.of(), Optional.empty(), Optional.empty(), PageRequest.first(limit));
    }

    public boolean matchesStatus(ConversationStatus s) {
        return statuses.isEmpty() || statuses.contains(s);
    }
}
