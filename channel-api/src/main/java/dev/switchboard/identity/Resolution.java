package dev.switchboard.identity;

import dev.switchboard.model.Customer;
import java.util.List;
import java.util.Objects;

/**
 * What {@link IdentityEngine#resolve} found for an inbound account: the canonical customer it belongs to after all
 * automatic merges, whether that customer was created by this call, the merges the evidence caused, and the
 * suggestions it raised for an agent.
 */
public record Resolution(Customer customer, boolean created, List<MergeRecord> merges,
                         List<MergeSuggestion> suggestions) {
    public Resolution {
        Objects.requireNonNull(customer, "customer");
        merges = List.copyOf(merges);
        suggestions = List.copyOf(suggestions);
    }
}
