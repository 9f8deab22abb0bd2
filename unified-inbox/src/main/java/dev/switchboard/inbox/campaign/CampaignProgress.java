package dev.switchboard.inbox.campaign;

import java.util.Map;
import java.util.Objects;

/**
 * How far a campaign got: its state and how many recipients are in each status, skipped ones also by reason.
 *
 * @param byStatus recipients per status (every status present, zero when none)
 * @param skippedBy skipped recipients per reason (every reason present, zero when none)
 */
public record CampaignProgress(CampaignId campaign, CampaignState state, Map<RecipientStatus, Long> byStatus,
                              Map<SkipReason, Long> skippedBy) {
    /** Checks that nothing is null and copies the maps. */
    public CampaignProgress {
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(state, "state");
        byStatus = Map.copyOf(byStatus);
        skippedBy = Map.copyOf(skippedBy);
    }

    /** Recipients in {@code status}. */
    public long count(RecipientStatus status) {
        return byStatus.getOrDefault(status, 0L);
    }

    /** Skipped recipients with {@code reason}. */
    public long skipped(SkipReason reason) {
        return skippedBy.getOrDefault(reason, 0L);
    }

    /** All recipients of the campaign. */
    public long total() {
        return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Recipients still to be sent to or waiting in the outbox (PENDING, DEFERRED, QUEUED). */
    public long remaining() {
        return count(RecipientStatus.PENDING) + count(RecipientStatus.DEFERRED) + count(RecipientStatus.QUEUED);
    }
}
