package dev.switchboard.inbox.campaign;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One recipient of a campaign as stored: the customer the audience named, the customer they are now (after merges,
 * once handled), and where their message stands. The row and the message's outbox entry are written in one
 * transaction, so a recipient is {@code QUEUED} exactly when the outbox holds their message.
 *
 * @param customer the customer id as the audience named it (the row's key)
 * @param resolvedCustomer the canonical customer the message went to, once handled
 * @param notBefore not handled before this instant (a deferred recipient's end of quiet hours)
 * @param channel the channel the message goes through, once queued
 * @param messageId the outbox message id, once queued (deterministic per tenant, campaign and customer)
 * @param skipReason why nothing is sent, for {@code SKIPPED}
 * @param detail a readable explanation of a skip, deferral or failure
 */
public record CampaignRecipient(TenantId tenant, CampaignId campaign, CustomerId customer,
                                Optional<CustomerId> resolvedCustomer, RecipientStatus status, Instant notBefore,
                                Optional<ChannelId> channel, Optional<MessageId> messageId,
                                Optional<SkipReason> skipReason, Optional<String> detail, Instant updatedAt) {
    /** Checks that no component is null. */
    public CampaignRecipient {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(resolvedCustomer, "resolvedCustomer");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(skipReason, "skipReason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A recipient not handled yet, due now. */
    public static CampaignRecipient pending(TenantId tenant, CampaignId campaign, CustomerId customer, Instant now) {
        return new CampaignRecipient(tenant, campaign, customer, Optional.empty(), RecipientStatus.PENDING, now,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), now);
    }

    /** This recipient skipped for {@code reason}. */
    public CampaignRecipient skipped(Optional<CustomerId> resolved, SkipReason reason, String why, Instant now) {
        return new CampaignRecipient(tenant, campaign, customer, resolved, RecipientStatus.SKIPPED, notBefore,
                Optional.empty(), Optional.empty(), Optional.of(reason), Optional.of(why), now);
    }

    /** This recipient held until {@code until}. */
    public CampaignRecipient deferred(CustomerId resolved, Instant until, String why, Instant now) {
        return new CampaignRecipient(tenant, campaign, customer, Optional.of(resolved), RecipientStatus.DEFERRED,
                until, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(why), now);
    }

    /** This recipient's message queued in the outbox. */
    public CampaignRecipient queued(CustomerId resolved, ChannelId via, MessageId message, Instant now) {
        return new CampaignRecipient(tenant, campaign, customer, Optional.of(resolved), RecipientStatus.QUEUED,
                notBefore, Optional.of(via), Optional.of(message), Optional.empty(), Optional.empty(), now);
    }

    /** This recipient moved to {@code SENT}, {@code DELIVERED} or {@code FAILED} as the outbox or platform reported. */
    public CampaignRecipient outcome(RecipientStatus outcome, Optional<String> why, Instant now) {
        return new CampaignRecipient(tenant, campaign, customer, resolvedCustomer, outcome, notBefore, channel,
                messageId, Optional.empty(), why, now);
    }
}
