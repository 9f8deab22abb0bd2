package dev.switchboard.model;

import dev.switchboard.content.Content;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored message in a conversation, inbound or outbound, on one channel. Immutable.
 *
 * <p>Times: {@code sentAt} is always when the <em>author</em> sent the message: for an inbound message the
 * platform's own timestamp of the customer's message (it can be earlier than {@code storedAt} after an outage, and
 * it orders a customer's messages as they wrote them); for an outbound reply the moment the inbox accepted it. When
 * the platform took an outbound reply is in the {@code DELIVERY_STATUS_CHANGED} event with status SENT.
 *
 * @param account the customer's channel account the message came from or went to
 * @param agent for outbound messages, the agent (or {@code system}) that wrote it
 * @param platformMessageId the platform's id once known (inbound: always; outbound: after sending)
 * @param sentAt when the author sent it: the platform's timestamp (inbound) or when the reply was accepted (outbound)
 * @param storedAt when Switchboard stored it
 * @param failureReason why delivery failed, when {@code status} is {@link DeliveryStatus#FAILED}
 */
public record Message(
        TenantId tenant,
        MessageId id,
        ConversationId conversation,
        CustomerId customer,
        ChannelId channel,
        Direction direction,
        AccountKey account,
        Optional<String> agent,
        Content content,
        Optional<String> platformMessageId,
        DeliveryStatus status,
        Optional<String> failureReason,
        Instant sentAt,
        Instant storedAt) {

    public Message {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(platformMessageId, "platformMessageId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failureReason, "failureReason");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(storedAt, "storedAt");
    }

    /** The message with a new delivery status, platform id and failure reason (stores and the outbox use it). */
    public Message withStatus(DeliveryStatus status, Optional<String> platformMessageId, Optional<String> failureReason) {
        return new Message(tenant, id, conversation, customer, channel, direction, account, agent, content,
                platformMessageId, status, failureReason, sentAt, storedAt);
    }
}
