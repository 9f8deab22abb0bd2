package dev.switchboard.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A thread of messages with one customer, possibly across several channels (the default omnichannel policy keeps
 * one open conversation per customer). Carries what an agent and the SLA engine need: status, priority, assignee,
 * tags, the channel the customer last wrote from, and the timestamps KPIs are computed from.
 *
 * @param channel the channel the conversation is bound to under a per-channel policy, or the last inbound channel
 * @param subject what the conversation is about, from the first inbound message that had one (an email subject);
 *                replies on channels with subjects answer under it
 */
public record Conversation(
        TenantId tenant,
        ConversationId id,
        CustomerId customer,
        ConversationStatus status,
        Priority priority,
        Optional<String> assignee,
        Set<String> tags,
        Optional<ChannelId> channel,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> lastInboundAt,
        Optional<Instant> firstResponseAt,
        Optional<Instant> resolvedAt,
        Optional<String> subject) {

    public Conversation {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(assignee, "assignee");
        tags = Set.copyOf(tags);
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(lastInboundAt, "lastInboundAt");
        Objects.requireNonNull(firstResponseAt, "firstResponseAt");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
        Objects.requireNonNull(subject, "subject");
    }

    /** A new open conversation started on {@code channel}. */
    public static Conversation open(TenantId tenant, ConversationId id, CustomerId customer, ChannelId channel,
                                    Instant now) {
        return open(tenant, id, customer, Optional.of(Objects.requireNonNull(channel, "channel")), now);
    }

    /**
     * A new open conversation on an optional channel.
     *
     * @deprecated use {@link #open(TenantId, ConversationId, CustomerId, ChannelId, Instant)}
     */
    @Deprecated(since = "0.9", forRemoval = true)
    public static Conversation open(TenantId tenant, ConversationId id, CustomerId customer, Optional<ChannelId> channel,
                                    Instant now) {
        return new Conversation(tenant, id, customer, ConversationStatus.OPEN, Priority.NORMAL, Optional.empty(),
                Set.of(), channel, now, now, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The conversation in {@code status}; RESOLVED records {@code now} as the resolution time. */
    public Conversation withStatus(ConversationStatus status, Instant now) {
        Optional<Instant> resolved = status == ConversationStatus.RESOLVED ? Optional.of(now) : Optional.empty();
        return new Conversation(tenant, id, customer, status, priority, assignee, tags, channel, createdAt, now,
                lastInboundAt, firstResponseAt, resolved, subject);
    }

    /** The conversation with another priority. */
    public Conversation withPriority(Priority priority, Instant now) {
        return new Conversation(tenant, id, customer, status, priority, assignee, tags, channel, createdAt, now,
                lastInboundAt, firstResponseAt, resolvedAt, subject);
    }

    /** The conversation assigned to {@code agent}. */
    public Conversation withAssignee(String agent, Instant now) {
        return withAssignee(Optional.of(Objects.requireNonNull(agent, "agent")), now);
    }

    /** The conversation without an assignee. */
    public Conversation withoutAssignee(Instant now) {
        return withAssignee(Optional.empty(), now);
    }

    /**
     * The conversation with an optional assignee.
     *
     * @deprecated use {@link #withAssignee(String, Instant)} or {@link #withoutAssignee(Instant)}
     */
    @Deprecated(since = "0.9", forRemoval = true)
    public Conversation withAssignee(Optional<String> assignee, Instant now) {
        return new Conversation(tenant, id, customer, status, priority, assignee, tags, channel, createdAt, now,
                lastInboundAt, firstResponseAt, resolvedAt, subject);
    }

    /** The conversation with exactly these tags. */
    public Conversation withTags(Set<String> tags, Instant now) {
        return new Conversation(tenant, id, customer, status, priority, assignee, tags, channel, createdAt, now,
                lastInboundAt, firstResponseAt, resolvedAt, subject);
    }

    /** The conversation after a customer message on {@code channel} at {@code at}. */
    public Conversation withInbound(ChannelId channel, Instant at) {
        return new Conversation(tenant, id, customer, status, priority, assignee, tags, Optional.of(channel), createdAt,
                at, Optional.of(at), firstResponseAt, resolvedAt, subject);
    }

    /** The conversation with its first response at {@code at}, unless it already has one. */
    public Conversation withFirstResponse(Instant at) {
        return new Conversation(tenant, id, customer, status, priority, assignee, tags, channel, createdAt, at,
                lastInboundAt, firstResponseAt.isPresent() ? firstResponseAt : Optional.of(at), resolvedAt, subject);
    }

    /** The conversation with this subject if it has none yet (the first subject a customer gave stays). */
    public Conversation withSubjectIfAbsent(String candidate) {
        Optional<String> given = Optional.of(candidate.strip()).filter(x -> !x.isEmpty());
        if (subject.isPresent() || given.isEmpty()) {
            return this;
        }
        return new Conversation(tenant, id, customer, status, priority, assignee, tags, channel, createdAt, updatedAt,
                lastInboundAt, firstResponseAt, resolvedAt, given);
    }
}
