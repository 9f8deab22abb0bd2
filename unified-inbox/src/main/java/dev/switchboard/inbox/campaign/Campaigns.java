package dev.switchboard.inbox.campaign;

import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's campaigns, from {@code TenantInbox.campaigns()}: opt-in broadcasts sent only to customers with a
 * granted consent for the campaign's purpose, one message per customer (merged customers count once) through their
 * preferred allowed channel, never a do-not-contact type, never a paid send unless the campaign opts in, and behind
 * replies on the same channel (campaign messages take only the rate-limit slots no reply is waiting for). Recipients
 * and their status are stored, so a restarted node continues a running campaign without sending anyone a second
 * copy. Thread-safe; cheap to create.
 *
 * <pre>{@code
 * Campaigns campaigns = shop.campaigns();
 * campaigns.create(sale);
 * campaigns.start(sale.id());
 * CampaignProgress p = campaigns.progress(sale.id());
 * System.out.println(p.count(RecipientStatus.SENT) + " sent, " + p.remaining() + " to go");
 * }</pre>
 */
public final class Campaigns {
    private final CampaignService service;
    private final TenantId tenant;

    Campaigns(CampaignService service, TenantId tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    /** The node's campaign engine (for the quiet-hours seam); internal. */
    CampaignService service() {
        return service;
    }

    /** The tenant these campaigns belong to. */
    public TenantId tenant() {
        return tenant;
    }

    /**
     * Stores a campaign, READY, with its audience read once and stored as its recipients (PENDING); nothing is sent
     * until {@link #start}. A segment is evaluated over the tenant's customers now.
     *
     * @throws IllegalArgumentException when the audience has no customer of the tenant, or none of them has a
     *     granted consent for the purpose (nothing is created)
     * @throws IllegalStateException when the tenant already has a campaign with this id
     */
    public StoredCampaign create(Campaign campaign) {
        return service.create(tenant, Objects.requireNonNull(campaign, "campaign"));
    }

    /**
     * Starts sending a READY campaign.
     *
     * @throws NoSuchElementException when there is no such campaign
     * @throws IllegalStateException when it is not READY
     */
    public StoredCampaign start(CampaignId id) {
        return service.transition(tenant, id, CampaignState.RUNNING, CampaignState.READY);
    }

    /**
     * Holds a RUNNING campaign: nothing more is queued (messages already in the outbox, a few per channel, still go).
     *
     * @throws IllegalStateException when it is not RUNNING
     */
    public StoredCampaign pause(CampaignId id) {
        return service.transition(tenant, id, CampaignState.PAUSED, CampaignState.RUNNING);
    }

    /**
     * Continues a PAUSED campaign where it stopped.
     *
     * @throws IllegalStateException when it is not PAUSED
     */
    public StoredCampaign resume(CampaignId id) {
        return service.transition(tenant, id, CampaignState.RUNNING, CampaignState.PAUSED);
    }

    /**
     * Stops a campaign for good: recipients not yet queued are SKIPPED with {@link SkipReason#CANCELLED}.
     *
     * @throws IllegalStateException when it already ended
     */
    public StoredCampaign cancel(CampaignId id) {
        return service.transition(tenant, id, CampaignState.CANCELLED, CampaignState.READY, CampaignState.RUNNING,
                CampaignState.PAUSED);
    }

    /** Up to {@code limit} (1..1000) of the tenant's campaigns in any state, newest first. */
    public List<StoredCampaign> list(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be within 1..1000, got " + limit);
        }
        return service.list(tenant, limit);
    }

    /** The stored campaign, empty when the tenant has none with this id. */
    public Optional<StoredCampaign> campaign(CampaignId id) {
        return service.campaign(tenant, Objects.requireNonNull(id, "id"));
    }

    /**
     * The campaign's state and recipient counts per status and skip reason (outbox outcomes recorded first).
     *
     * @throws NoSuchElementException when there is no such campaign
     */
    public CampaignProgress progress(CampaignId id) {
        return service.progress(tenant, Objects.requireNonNull(id, "id"));
    }

    /** Up to {@code limit} (1..1000) recipients in {@code status} with a customer id after {@code after}, by id. */
    public List<CampaignRecipient> recipients(CampaignId id, RecipientStatus status, Optional<CustomerId> after,
                                              int limit) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be within 1..1000, got " + limit);
        }
        return service.recipients(tenant, id, status, after, limit);
    }

    /** One recipient by the customer id the audience named, empty when the campaign has none such. */
    public Optional<CampaignRecipient> recipient(CampaignId id, CustomerId customer) {
        return service.recipient(tenant, Objects.requireNonNull(id, "id"), Objects.requireNonNull(customer,
                "customer"));
    }

    /**
     * Records the withdrawal a customer asked for through an unsubscribe link: their consent for the token's purpose
     * is withdrawn (through {@code TenantInbox.updatePreferences}, so it is in the preferences and the feed) and a
     * {@code CAMPAIGN_UNSUBSCRIBED} event is appended. Idempotent for the customer: a second click records another
     * withdrawal, which changes nothing.
     *
     * @throws InvalidUnsubscribeTokenException when the token is malformed, forged or of another tenant (nothing is
     *     recorded)
     * @throws NoSuchElementException when the token's customer is unknown in the tenant
     * @throws IllegalStateException when this inbox has no unsubscribe links configured
     */
    public UnsubscribeTokens.Subject unsubscribe(String token) {
        return service.unsubscribe(tenant, token);
    }

    @Override
    public String toString() {
        return "Campaigns[" + tenant + "]";
    }
}
