package dev.switchboard.model;

import dev.switchboard.content.Content;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored message in a conversation, inbound or outbound, on one channel.
 *
 * @param account the customer's channel account the message came from or went to
 * @param agent for outbound messages, the agent (or {@code system}) that wrote it
 * @param platformMessageId the platform's id once known (inbound: always; outbound: after sending)
 * @param sentAt when the platform says it was sent (inbound) or when it was accepted (outbound)
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

    public Message withStatus(DeliveryStatus status, Optional<String> platformMessageId, Optional<String> failureReason) {
        return new Message(tenant, id, conversation, customer, channel, direction, account, agent, content,
                platformMessageId, status, failureReason, sentAt, storedAt);
    }
}
