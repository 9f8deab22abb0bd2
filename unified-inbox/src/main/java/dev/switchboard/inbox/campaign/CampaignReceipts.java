package dev.switchboard.inbox.campaign;

import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * Applies a platform's delivery receipt to the campaign recipient whose message it names, inside the caller's
 * transaction: a delivered or read report moves a {@code QUEUED} or {@code SENT} recipient to {@code DELIVERED}; a
 * failure report moves a {@code QUEUED}, {@code SENT} or {@code DELIVERED} one to {@code FAILED} with the platform's
 * reason. Statuses never move back (a late "delivered" after a failure changes nothing), and each move is the store's
 * conditional update, so a receipt and the campaign worker racing for one recipient cannot both win. The inbox calls
 * it for receipts that name no stored message; hosts do not need it. Stateless.
 */
public final class CampaignReceipts {
    private CampaignReceipts() {
    }

    /**
     * Applies {@code status} to the recipient whose message the platform knows as {@code platformMessageId} on
     * {@code channel}; returns true when a recipient changed.
     */
    public static boolean apply(InboxTransaction tx, TenantId tenant, ChannelId channel, String platformMessageId,
                                DeliveryStatus status, Optional<String> reason, Instant now) {
        Optional<CampaignRecipient> found = tx.campaignRecipientByPlatformMessage(tenant, channel, platformMessageId);
        if (found.isEmpty()) {
            return false;
        }
        CampaignRecipient r = found.get();
        RecipientStatus s = r.status();
        if (status == DeliveryStatus.DELIVERED || status == DeliveryStatus.READ) {
            if (s != RecipientStatus.QUEUED && s != RecipientStatus.SENT) {
                return false;
            }
            return tx.transitionCampaignRecipient(r, r.outcome(RecipientStatus.DELIVERED, Optional.empty(), now));
        }
        if (status == DeliveryStatus.FAILED) {
            if (s != RecipientStatus.QUEUED && s != RecipientStatus.SENT && s != RecipientStatus.DELIVERED) {
                return false;
            }
            return tx.transitionCampaignRecipient(r, r.outcome(RecipientStatus.FAILED, Optional.of(
                    "reported failed by the platform: " + reason.orElse("no reason given")), now));
        }
        return false;
    }
}
