package dev.switchboard.inbox;

import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened in the inbox, as it appears in the durable event feed: a message stored, a delivery status
 * changed, a conversation opened, assigned or resolved, customers merged, input quarantined. Events are numbered by a
 * feed-wide sequence ({@code seq}) that only grows, so a host reading {@code events(afterSeq, limit)} after downtime
 * catches up without missing or repeating anything. Events name the objects they concern and carry a few flat
 * attributes; read the objects themselves through the inbox.
 */
public record InboxEvent(long seq, TenantId tenant, Type type, Optional<ConversationId> conversation,
                         Optional<MessageId> message, Optional<CustomerId> customer, Map<String, String> attributes,
                         Instant at) {

    /** What happened. */
    public enum Type {
        MESSAGE_RECEIVED,
        MESSAGE_EDITED,
        POSTBACK_RECEIVED,
        REPLY_QUEUED,
        DELIVERY_STATUS_CHANGED,
        CONVERSATION_OPENED,
        CONVERSATION_REOPENED,
        CONVERSATION_UPDATED,
        CONVERSATION_RESOLVED,
        CUSTOMER_CREATED,
        CUSTOMERS_MERGED,
        MERGE_UNDONE,
        MERGE_SUGGESTED,
        ACCOUNT_UPDATED,
        INPUT_QUARANTINED,
        SLA_BREACHED
    }

    public InboxEvent {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(customer, "customer");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(at, "at");
    }

    /** A copy numbered {@code seq}; stores assign the number when they append. */
    public InboxEvent withSeq(long seq) {
        return new InboxEvent(seq, tenant, type, conversation, message, customer, attributes, at);
    }
}
