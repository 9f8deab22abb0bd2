package dev.switchboard.identity;

import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The part of a store transaction the identity engine reads and writes: customers with their accounts and contacts,
 * name keys, merges, suggestions, and the distinct-people and ambiguous-point tables. Every read and write is scoped
 * by tenant. A store implements it as part of {@link dev.switchboard.store.StoreTransaction}, which extends it; the
 * engine needs nothing else, so this package does not depend on the store package.
 */
public interface IdentityTransaction {

    // ---- customers and identity -------------------------------------------------------------------------------

    Optional<Customer> customer(TenantId tenant, CustomerId id);

    /**
     * Inserts or replaces a customer, re-indexing its accounts and contact points. Throws
     * {@link dev.switchboard.store.DuplicateKeyException} when one of its accounts is owned by another customer that is not merged away.
     */
    void saveCustomer(Customer customer);

    /** The customer owning an account (the owner as stored, which may itself be merged; follow {@code mergedInto}). */
    Optional<CustomerId> customerByAccount(AccountKey account);

    /** Non-merged customers holding this contact point, verified or not. */
    Set<CustomerId> customersByContact(TenantId tenant, ContactPoint point);

    /**
     * {@link #customersByContact(TenantId, ContactPoint)} for callers that only need every holder when there are at
     * most {@code limit} of them: when more hold the point, any {@code limit} or more of them. The identity engine
     * asks for one more than its shared-point limit, so a point thousands of customers hold costs a store with a
     * query per lookup a bounded read. The default returns every holder; stores that pay per row override it.
     *
     * @throws IllegalArgumentException when {@code limit} is below 1
     */
    default Set<CustomerId> customersByContact(TenantId tenant, ContactPoint point, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return customersByContact(tenant, point);
    }

    /** Replaces the blocking keys under which a customer's name can be found for similarity suggestions. */
    void saveNameKeys(TenantId tenant, CustomerId customer, Set<String> keys);

    /** Customers indexed under a name blocking key. */
    Set<CustomerId> customersByNameKey(TenantId tenant, String key);

    /**
     * {@link #saveNameKeys(TenantId, CustomerId, Set)}, also handing over the {@linkplain NameMatcher#form form} of
     * the customer's display name (empty when it has none) for {@link #indexedNames} to return. Stores that keep only
     * the keys inherit this default, which drops the form.
     */
    default void saveNameKeys(TenantId tenant, CustomerId customer, Set<String> keys, String form) {
        saveNameKeys(tenant, customer, keys);
    }

    /**
     * The customers indexed under a name blocking key, each with the form of its display name, in index order.
     * The default reads every customer of {@link #customersByNameKey} and derives the form from its display name,
     * leaving out customers merged away or without a name; a store that keeps the form saved with the keys answers
     * without those reads, which is what the identity engine's name-similarity step costs at scale.
     */
    default List<IndexedName> indexedNames(TenantId tenant, String key) {
        List<IndexedName> out = new ArrayList<>();
        for (CustomerId id : customersByNameKey(tenant, key)) {
            customer(tenant, id).filter(c -> !c.isMerged()).flatMap(Customer::displayName)
                    .ifPresent(name -> out.add(new IndexedName(id, NameMatcher.formOf(name))));
        }
        return out;
    }

    void saveMerge(MergeRecord record);

    Optional<MergeRecord> merge(TenantId tenant, MergeId id);

    /** Merge log entries where the customer was survivor or absorbed, oldest first. */
    List<MergeRecord> mergesOf(TenantId tenant, CustomerId customer);

    void saveSuggestion(MergeSuggestion suggestion);

    Optional<MergeSuggestion> suggestion(TenantId tenant, SuggestionId id);

    /** Suggestions involving the customer (any status), newest first. */
    List<MergeSuggestion> suggestionsOf(TenantId tenant, CustomerId customer);

    /** Open suggestions of a tenant, highest score first. */
    List<MergeSuggestion> openSuggestions(TenantId tenant, int limit);

    /** Records that two customers are known to be different people (an undone merge, a rejected suggestion). */
    void markDistinct(TenantId tenant, CustomerId a, CustomerId b);

    boolean areDistinct(TenantId tenant, CustomerId a, CustomerId b);

    /** Records that a contact point is shared by different people, so it no longer merges automatically. */
    void markAmbiguous(TenantId tenant, ContactPoint point);

    boolean isAmbiguous(TenantId tenant, ContactPoint point);
}
