package dev.switchboard.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One person as the business knows them: every channel account they use, every phone and email (each verified or
 * not, with its source), single-valued attributes, free-form attributes, preferences and consent, and the conflicts
 * left by merges. A customer that was merged into another keeps existing as a tombstone whose {@link #mergedInto()}
 * names the survivor, so old references still resolve and a merge can be undone.
 */
public record Customer(
        TenantId tenant,
        CustomerId id,
        Optional<String> displayName,
        Optional<String> language,
        List<LinkedAccount> accounts,
        List<CustomerContact> contacts,
        Map<String, String> attributes,
        Preferences preferences,
        List<AttributeConflict> conflicts,
        Optional<CustomerId> mergedInto,
        Instant createdAt,
        Instant updatedAt) {

    public Customer {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(language, "language");
        accounts = List.copyOf(accounts);
        contacts = List.copyOf(contacts);
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(preferences, "preferences");
        conflicts = List.copyOf(conflicts);
        Objects.requireNonNull(mergedInto, "mergedInto");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new customer with nothing but an id. */
    public static Customer create(TenantId tenant, CustomerId id, Instant now) {
        return new Customer(tenant, id, Optional.empty(), Optional.empty(), List.of(), List.of(), Map.of(),
                Preferences.NONE, List.of(), Optional.empty(), now, now);
    }

    public boolean isMerged() {
        return mergedInto.isPresent();
    }

    // loops rather than streams: both run for every inbound event
    public Optional<LinkedAccount> account(AccountKey key) {
        for (LinkedAccount a : accounts) {
            if (a.key().equals(key)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public boolean hasVerified(ContactPoint point) {
        for (CustomerContact c : contacts) {
            if (c.verified() && c.point().equals(point)) {
                return true;
            }
        }
        return false;
    }

    /** A copy with the given parts replaced; the record's wither for the identity engine and stores. */
    public Customer with(Optional<String> displayName, Optional<String> language, List<LinkedAccount> accounts,
                         List<CustomerContact> contacts, Map<String, String> attributes, Preferences preferences,
                         List<AttributeConflict> conflicts, Optional<CustomerId> mergedInto, Instant updatedAt) {
        return new Customer(tenant, id, displayName, language, accounts, contacts, attributes, preferences, conflicts,
                mergedInto, createdAt, updatedAt);
    }

    public Customer withPreferences(Preferences preferences, Instant now) {
        return with(displayName, language, accounts, contacts, attributes, preferences, conflicts, mergedInto, now);
    }

    public Customer withAccounts(List<LinkedAccount> accounts, Instant now) {
        return with(displayName, language, accounts, contacts, attributes, preferences, conflicts, mergedInto, now);
    }

    public Customer withContacts(List<CustomerContact> contacts, Instant now) {
        return with(displayName, language, accounts, contacts, attributes, preferences, conflicts, mergedInto, now);
    }

    public Customer withAttribute(String name, String value, Instant now) {
        var map = new java.util.HashMap<>(attributes);
        map.put(name, value);
        return with(displayName, language, accounts, contacts, map, preferences, conflicts, mergedInto, now);
    }
}
