package dev.switchboard.inbox.consent;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Consent;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One inbox node's consent engine: appends ledger entries (with their {@code CONSENT_RECORDED} event and a copy in
 * the customer's {@code Preferences}, so {@code hasConsent} keeps answering from the customer), applies each tenant's
 * {@link UnsubscribeKeywords} to inbound messenger messages, records platform permission changes, and gives each side
 * of an unmerge its own entries back. The inbox creates one and calls it inside its transactions; hosts use it
 * through {@code TenantInbox.consent()}. Thread-safe.
 */
public final class ConsentService {

    /** Queues the keyword rule's confirmation as an automated reply in the conversation, on the channel. */
    @FunctionalInterface
    public interface ConfirmationQueue {
        /**
         * Queues {@code text} in the conversation through {@code channel}, in the caller's transaction.
         *
         * @throws RuntimeException when the customer must not be written to there; the withdrawal stays recorded
         */
        void queue(InboxTransaction tx, TenantId tenant, ConversationId conversation, ChannelId channel, String text);
    }

    private final InboxStore store;
    private final Clock clock;
    private final Function<TenantId, IdentityEngine> identities;
    private final BiFunction<TenantId, ChannelId, Optional<ChannelType>> channelTypes;
    private final Runnable wake;
    private final Map<TenantId, UnsubscribeKeywords> keywords = new ConcurrentHashMap<>();

    /**
     * The engine over {@code store}; {@code channelTypes} tells a configured channel's type, {@code wake} is run
     * after a transaction that appended events commits.
     */
    public ConsentService(InboxStore store, Clock clock, Function<TenantId, IdentityEngine> identities,
                          BiFunction<TenantId, ChannelId, Optional<ChannelType>> channelTypes, Runnable wake) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.channelTypes = Objects.requireNonNull(channelTypes, "channelTypes");
        this.wake = Objects.requireNonNull(wake, "wake");
    }

    /** The tenant's consent ledger and keyword rule. */
    public Consents forTenant(TenantId tenant) {
        return new Consents(this, Objects.requireNonNull(tenant, "tenant"));
    }

    InboxStore store() {
        return store;
    }

    void wake() {
        wake.run();
    }

    Instant now() {
        return clock.instant();
    }

    void configure(TenantId tenant, UnsubscribeKeywords rule) {
        keywords.put(tenant, Objects.requireNonNull(rule, "rule"));
    }

    UnsubscribeKeywords keywords(TenantId tenant) {
        return keywords.getOrDefault(tenant, UnsubscribeKeywords.defaults());
    }

    Customer customer(InboxTransaction tx, TenantId tenant, CustomerId id) {
        return identities.apply(tenant).customer(tx, tenant, id);
    }

    /**
     * Records {@code change} for the tenant in the caller's transaction.
     *
     * @throws java.util.NoSuchElementException when the customer is unknown in the tenant
     * @throws IllegalArgumentException when the account is not the customer's
     * @throws UnsupportedOperationException when the store keeps no consent ledger
     */
    public ConsentEntry record(InboxTransaction tx, TenantId tenant, ConsentChange change) {
        requireLedger(tx);
        Customer customer = customer(tx, tenant, change.customer());
        Optional<ChannelType> type = change.channelType();
        if (change.account().isPresent()) {
            AccountKey account = change.account().get();
            if (!account.tenant().equals(tenant) || customer.account(account).isEmpty()) {
                throw new IllegalArgumentException("account " + account.channel() + ":" + account.platformUserId()
                        + " is not an account of customer " + change.customer() + " in tenant " + tenant);
            }
            if (type.isEmpty()) {
                type = channelTypes.apply(tenant, account.channel());
            }
        }
        ConsentEntry entry = new ConsentEntry(tenant, UUID.randomUUID().toString(), customer.id(), change.account(),
                change.purpose(), type, change.granted(), clock.instant(), change.source(), change.evidence());
        append(tx, customer, entry);
        return entry;
    }

    private void append(InboxTransaction tx, Customer customer, ConsentEntry entry) {
        tx.appendConsentEntry(entry);
        tx.saveCustomer(customer.withPreferences(customer.preferences().withConsent(entry.toConsent()),
                entry.at()));
        tx.appendEvent(new InboxEvent(0, entry.tenant(), InboxEvent.Type.CONSENT_RECORDED, Optional.empty(),
                Optional.empty(), Optional.of(customer.id()), eventAttributes(entry), entry.at()));
    }

    /** The customer's history (see {@link ConsentRule}), in the caller's transaction. */
    List<ConsentEntry> history(InboxTransaction tx, TenantId tenant, CustomerId id) {
        requireLedger(tx);
        return ConsentRule.history(tx, customer(tx, tenant, id));
    }

    /**
     * The keyword rule: when {@code text}, the whole of a customer's message on a messenger, is one of the tenant's
     * keywords, records the withdrawal through that account with the message as evidence and queues the
     * confirmation. True when it matched. Does nothing on a store without a ledger.
     */
    public boolean afterInbound(InboxTransaction tx, Customer customer, ChannelId channel, ChannelType type,
                                AccountKey account, ConversationId conversation, MessageId message, String text,
                                ConfirmationQueue confirmations) {
        UnsubscribeKeywords rule = keywords(account.tenant());
        if (!tx.keepsConsentLedger() || !rule.matches(type, text)) {
            return false;
        }
        ConsentEntry entry = new ConsentEntry(account.tenant(), UUID.randomUUID().toString(), customer.id(),
                Optional.of(account), rule.purpose(), Optional.of(type), false, clock.instant(), "keyword",
                ConsentEvidence.message(message));
        append(tx, customer(tx, account.tenant(), customer.id()), entry);
        try {
            confirmations.queue(tx, account.tenant(), conversation, channel, rule.confirmation());
        } catch (RuntimeException refused) {
            // the customer cannot be written to there (do-not-contact, blocked): the withdrawal stands unconfirmed
        }
        return true;
    }

    /**
     * A platform permission change of an account ({@code SUBSCRIBED}, {@code UNSUBSCRIBED}, {@code BLOCKED_US},
     * {@code UNBLOCKED_US}) as a {@link Consent#PLATFORM} entry with the platform event as evidence; other kinds and
     * stores without a ledger are ignored.
     */
    public void onAccountUpdate(InboxTransaction tx, Customer customer, ChannelType type, AccountKey account,
                                InboundEvent.AccountUpdate.Kind kind, Instant now) {
        boolean granted;
        switch (kind) {
            case SUBSCRIBED, UNBLOCKED_US -> granted = true;
            case UNSUBSCRIBED, BLOCKED_US -> granted = false;
            default -> {
                return;
            }
        }
        if (!tx.keepsConsentLedger()) {
            return;
        }
        recordPlatform(tx, customer, Optional.of(type), account, granted, ConsentEvidence.platform(type.value() + ":"
                + kind.name()), now);
    }

    /**
     * A send refused because the recipient cannot be reached (a Telegram 403 "bot was blocked by the user"): a
     * withdrawn {@link Consent#PLATFORM} entry for the account (no channel type: the outbox does not know it) with
     * the message as evidence. Does nothing without a ledger.
     */
    public static void onRecipientUnreachable(InboxTransaction tx, Customer customer, AccountKey account,
                                              MessageId message, Instant now) {
        if (!tx.keepsConsentLedger()) {
            return;
        }
        recordPlatform(tx, customer, Optional.empty(), account, false, new ConsentEvidence(ConsentEvidence.Kind.SEND_FAILURE,
                message.value(), Optional.empty()), now);
    }

    private static void recordPlatform(InboxTransaction tx, Customer customer, Optional<ChannelType> type,
                                       AccountKey account, boolean granted, ConsentEvidence evidence, Instant now) {
        ConsentEntry entry = new ConsentEntry(account.tenant(), UUID.randomUUID().toString(), customer.id(),
                Optional.of(account), Consent.PLATFORM, type, granted, now, "platform", evidence);
        tx.appendConsentEntry(entry);
        Customer fresh = tx.customer(account.tenant(), customer.id()).orElse(customer);
        tx.saveCustomer(fresh.withPreferences(fresh.preferences().withConsent(entry.toConsent()), now));
        tx.appendEvent(new InboxEvent(0, entry.tenant(), InboxEvent.Type.CONSENT_RECORDED, Optional.empty(),
                Optional.empty(), Optional.of(customer.id()), eventAttributes(entry), now));
    }

    /**
     * Consents added to a customer's preferences directly ({@code updatePreferences}) are appended to the ledger
     * too (source {@code host}), so the ledger holds every decision; returns the customer as saved. Does nothing
     * without a ledger.
     */
    public Customer preferencesChanged(InboxTransaction tx, Customer before, Customer after) {
        if (!tx.keepsConsentLedger()) {
            return after;
        }
        Set<Consent> known = new HashSet<>(before.preferences().consents());
        List<Consent> added = new ArrayList<>();
        for (Consent c : after.preferences().consents()) {
            if (!known.contains(c)) {
                added.add(c);
            }
        }
        if (added.isEmpty()) {
            return after;
        }
        Map<Consent, Consent> copies = new LinkedHashMap<>();
        for (Consent c : added) {
            ConsentEntry entry = new ConsentEntry(after.tenant(), UUID.randomUUID().toString(), after.id(),
                    Optional.empty(), c.purpose(), c.channelType(), c.granted(), c.at(), "host",
                    ConsentEvidence.host(c.source().isBlank() ? "updatePreferences" : c.source()));
            tx.appendConsentEntry(entry);
            copies.put(c, entry.toConsent());
            tx.appendEvent(new InboxEvent(0, entry.tenant(), InboxEvent.Type.CONSENT_RECORDED, Optional.empty(),
                    Optional.empty(), Optional.of(after.id()), eventAttributes(entry), entry.at()));
        }
        List<Consent> view = after.preferences().consents().stream().map(c -> copies.getOrDefault(c, c)).toList();
        Customer saved = after.withPreferences(after.preferences().withConsents(view), after.updatedAt());
        tx.saveCustomer(saved);
        return saved;
    }

    private static Map<String, String> eventAttributes(ConsentEntry entry) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(InboxEvent.Attribute.PURPOSE, entry.purpose());
        attributes.put(InboxEvent.Attribute.GRANTED, Boolean.toString(entry.granted()));
        entry.channelType().ifPresent(t -> attributes.put(InboxEvent.Attribute.CHANNEL_TYPE, t.value()));
        entry.account().ifPresent(a -> {
            attributes.put(InboxEvent.Attribute.CHANNEL, a.channel().value());
            attributes.put(InboxEvent.Attribute.ACCOUNT, a.platformUserId());
        });
        attributes.put(InboxEvent.Attribute.SOURCE, entry.source());
        return attributes;
    }

    /**
     * After an unmerge: the consent copy in each side's preferences is rebuilt from the ledger, so each side has
     * exactly its own entries (and the withdrawals its remaining merges carry); consents that are not in the ledger
     * (recorded before it existed) are left as the unmerge restored them. Does nothing without a ledger.
     */
    public void afterUnmerge(InboxTransaction tx, TenantId tenant, CustomerId survivor, CustomerId absorbed) {
        if (!tx.keepsConsentLedger()) {
            return;
        }
        for (CustomerId id : List.of(survivor, absorbed)) {
            Customer c = customer(tx, tenant, id);
            List<ConsentEntry> history = ConsentRule.history(tx, c);
            List<Consent> view = new ArrayList<>();
            for (Consent v : c.preferences().consents()) {
                if (!ledgerBacked(v)) {
                    view.add(v);
                }
            }
            history.forEach(e -> view.add(e.toConsent()));
            if (!view.equals(c.preferences().consents())) {
                tx.saveCustomer(c.withPreferences(c.preferences().withConsents(view), c.updatedAt()));
            }
        }
    }

    /** Whether a consent record is a copy of a ledger entry or a merge's carried withdrawal. */
    private static boolean ledgerBacked(Consent c) {
        String s = c.source();
        return s.startsWith("merge:") || s.matches("^.+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    }

    private static void requireLedger(InboxTransaction tx) {
        if (!tx.keepsConsentLedger()) {
            throw new UnsupportedOperationException("this store does not keep a consent ledger");
        }
    }
}
