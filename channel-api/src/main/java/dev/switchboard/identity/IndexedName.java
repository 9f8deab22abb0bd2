package dev.switchboard.identity;

import dev.switchboard.model.CustomerId;
import java.util.Objects;

/**
 * Part of the store SPI, not needed by hosts: what {@link dev.switchboard.store.StoreTransaction#indexedNames} returns.
 * One entry of a name blocking key: a customer and the {@linkplain NameMatcher#form form} of the name it was indexed
 * under. The identity engine scores name-similarity candidates from these alone and reads a candidate customer only
 * when its name is close enough to suggest, so a store that keeps the form next to its keys saves a customer read
 * per candidate. Immutable.
 *
 * @param customer the customer indexed under the key
 * @param form the {@linkplain NameMatcher#formOf(String) form} of the name it was indexed under
 */
public record IndexedName(CustomerId customer, String form) {
    /** Checks that neither component is null. */
    public IndexedName {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(form, "form");
    }
}
