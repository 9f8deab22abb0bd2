package dev.switchboard.store;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.TenantId;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A filter over a tenant's conversations: by status (empty means any), assignee, and channel (the channel the
 * customer last wrote from), newest activity first, paged. Immutable. Build one with {@link #all(TenantId, int)} or
 * {@link #builder(TenantId)}:
 *
 * <pre>{@code
 * ConversationQuery mine = ConversationQuery.builder(tenant)
 *     .status(ConversationStatus.OPEN).assignee("ann").limit(50).build();
 * }</pre>
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

    /** Every conversation of the tenant, the first {@code limit} of them (newest activity first). */
    public static ConversationQuery all(TenantId tenant, int limit) {
        return new ConversationQuery(tenant, Set.of(), Optional.empty(), Optional.empty(), PageRequest.first(limit));
    }

    /** A builder for a query over the tenant's conversations; with nothing set it matches all of them, 50 a page. */
    public static Builder builder(TenantId tenant) {
        return new Builder(Objects.requireNonNull(tenant, "tenant"));
    }

    /** The same filter in another tenant (what {@code TenantInbox} does to scope a query to its tenant). */
    public ConversationQuery inTenant(TenantId tenant) {
        return new ConversationQuery(tenant, statuses, assignee, channel, page);
    }

    /** The same filter reading another page (e.g. {@code page().after(previous.nextCursor())}). */
    public ConversationQuery withPage(PageRequest page) {
        return new ConversationQuery(tenant, statuses, assignee, channel, page);
    }

    /** Whether a conversation in status {@code s} passes the status filter. */
    public boolean matchesStatus(ConversationStatus s) {
        return statuses.isEmpty() || statuses.contains(s);
    }

    /** Assembles a {@link ConversationQuery}; every filter left unset matches everything. Not thread-safe. */
    public static final class Builder {
        private final TenantId tenant;
        private final Set<ConversationStatus> statuses = EnumSet.noneOf(ConversationStatus.class);
        private Optional<String> assignee = Optional.empty();
        private Optional<ChannelId> channel = Optional.empty();
        private PageRequest page = PageRequest.first(50);

        private Builder(TenantId tenant) {
            this.tenant = tenant;
        }

        /** Only conversations in one of these statuses (adds to the ones given before). */
        public Builder status(ConversationStatus... statuses) {
            return statuses(Arrays.asList(statuses));
        }

        /** Only conversations in one of these statuses (adds to the ones given before). */
        public Builder statuses(Collection<ConversationStatus> statuses) {
            statuses.forEach(s -> this.statuses.add(Objects.requireNonNull(s, "status")));
            return this;
        }

        /** Only conversations assigned to this agent. */
        public Builder assignee(String agent) {
            this.assignee = Optional.of(Objects.requireNonNull(agent, "assignee"));
            return this;
        }

        /** Only conversations whose customer last wrote from this channel. */
        public Builder channel(ChannelId channel) {
            this.channel = Optional.of(Objects.requireNonNull(channel, "channel"));
            return this;
        }

        /** At most {@code limit} conversations, from the first page (1..{@value PageRequest#MAX_LIMIT}). */
        public Builder limit(int limit) {
            this.page = PageRequest.first(limit);
            return this;
        }

        /** The page to read, e.g. {@code PageRequest.first(20).after(cursor)}. */
        public Builder page(PageRequest page) {
            this.page = Objects.requireNonNull(page, "page");
            return this;
        }

        /** The query. */
        public ConversationQuery build() {
            return new ConversationQuery(tenant, statuses, assignee, channel, page);
        }
    }
}
