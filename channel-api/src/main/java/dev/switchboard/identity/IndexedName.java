package dev.switchboard.identity;

import dev.switchboard.model.CustomerId;
import java.util.Objects;

/**
 * One entry of a name blocking key: a customer and the {@linkplain NameMatcher#form form} of the name it was indexed
 * under. The identity engine scores name-similarity candidates from these alone and reads a candidate customer only
 * when its name is close enough to suggest, so a store that keeps the form next to its keys saves a customer read
 * per candidate (see {@link dev.switchboard.store.StoreTransaction#indexedNames}).
 */
public record IndexedName(CustomerId customer, String form) {
    public IndexedName {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(form, "form");
    }
}
