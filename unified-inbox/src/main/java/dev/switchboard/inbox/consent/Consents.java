package dev.switchboard.inbox.consent;

import dev.switchboard.model.ChannelType;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's consent ledger, from {@code TenantInbox.consent()}: record a customer's grant or withdrawal of a
 * purpose with its evidence, read their history and the consent in force, and set the keyword rule that turns a
 * "stop" on a messenger into a withdrawal. Every entry is also copied into the customer's {@code Preferences}, so
 * {@code Preferences.hasConsent} answers the same from the customer record. Needs a store that keeps the ledger
 * (in-memory and JDBC do); calls on other stores throw {@link UnsupportedOperationException}. Thread-safe; cheap.
 *
 * <pre>{@code
 * Consents consents = desk.consent();
 * consents.record(ConsentChange.grant(customer, Consent.MARKETING)
 *         .evidence(ConsentEvidence.webForm("newsletter-signup", "v3")).build());
 * boolean mayAdvertise = consents.hasConsent(customer, Consent.MARKETING, ChannelType.TELEGRAM);
 * }</pre>
 */
public final class Consents {
    private final ConsentService service;
    private final TenantId tenant;

    Consents(ConsentService service, TenantId tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    /**
     * Appends {@code change} to the ledger (with a {@code CONSENT_RECORDED} event), at the inbox clock's now.
     *
     * @return the stored entry
     * @throws java.util.NoSuchElementException when the customer is unknown in this tenant
     * @throws IllegalArgumentException when the change's account is not the customer's
     */
    public ConsentEntry record(ConsentChange change) {
        Objects.requireNonNull(change, "change");
        ConsentEntry entry = service.store().inTransaction(tx -> service.record(tx, tenant, change));
        service.wake();
        return entry;
    }

    /**
     * The customer's consent history, oldest first: entries through their accounts, entries recorded for them or
     * for customers merged into them, and the withdrawals those merges carried over (source {@code merge}).
     *
     * @throws java.util.NoSuchElementException when the customer is unknown in this tenant
     */
    public List<ConsentEntry> history(CustomerId customer) {
        Objects.requireNonNull(customer, "customer");
        return service.store().inTransaction(tx -> service.history(tx, tenant, customer));
    }

    /** The entry in force for {@code purpose} on channels of {@code type}: the latest applicable one, if any. */
    public Optional<ConsentEntry> inForce(CustomerId customer, String purpose, ChannelType type) {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(type, "type");
        return ConsentRule.inForce(history(customer), purpose, type);
    }

    /** True only when a grant is in force for {@code purpose} on {@code type}; no entry means no consent. */
    public boolean hasConsent(CustomerId customer, String purpose, ChannelType type) {
        return inForce(customer, purpose, type).map(ConsentEntry::granted).orElse(false);
    }

    /** Sets this tenant's keyword rule on this node (configure every node alike); {@link UnsubscribeKeywords#off()}. */
    public void configureKeywords(UnsubscribeKeywords rule) {
        service.configure(tenant, rule);
    }

    /** This tenant's keyword rule; {@link UnsubscribeKeywords#defaults()} until configured. */
    public UnsubscribeKeywords keywords() {
        return service.keywords(tenant);
    }
}
