package dev.switchboard.inbox;

import dev.switchboard.inbox.campaign.CampaignService;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Preferences;
import dev.switchboard.model.TenantId;
import java.util.function.UnaryOperator;

/**
 * What campaigns need of the inbox's identity: a customer as they are now (following merges), whether they blocked us
 * on an account, and preference changes made as {@link Inbox#updatePreferences} makes them. Internal.
 */
final class CampaignIdentity implements CampaignService.Identity {
    private final TenantIdentities identities;
    private final Inbox inbox;

    CampaignIdentity(TenantIdentities identities, Inbox inbox) {
        this.identities = identities;
        this.inbox = inbox;
    }

    @Override
    public Customer customer(InboxTransaction tx, TenantId tenant, CustomerId id) {
        return identities.of(tenant).customer(tx, tenant, id);
    }

    @Override
    public boolean blockedUs(Customer customer, LinkedAccount account) {
        return customer.attributes().containsKey(InboundHandler.blockedUsKey(account.account()));
    }

    @Override
    public Customer updatePreferences(TenantId tenant, CustomerId customer, UnaryOperator<Preferences> change) {
        return inbox.updatePreferences(tenant, customer, change);
    }
}
