package dev.switchboard.inbox.campaign;

import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A campaign as stored: its definition without the audience (which became its recipients) and its state.
 *
 * @param purpose the consent purpose every recipient must have granted
 * @param audience a description of the audience ({@code "list of 3"}, {@code "segment vip"})
 */
public record StoredCampaign(TenantId tenant, CampaignId id, String purpose, String audience,
                             CampaignMessage message, CampaignState state, Instant createdAt, Instant updatedAt) {
    /** Checks that no component is null. */
    public StoredCampaign {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** This campaign in another state. */
    public StoredCampaign withState(CampaignState next, Instant now) {
        return new StoredCampaign(tenant, id, purpose, audience, message, next, createdAt, now);
    }
}
