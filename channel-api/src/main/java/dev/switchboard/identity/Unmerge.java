package dev.switchboard.identity;

import dev.switchboard.model.Customer;
import java.util.Objects;

/**
 * The result of undoing a merge: the survivor without what the absorbed customer brought, and the absorbed customer
 * restored under its old id with its old accounts and contacts.
 */
public record Unmerge(Customer survivor, Customer restored) {
    public Unmerge {
        Objects.requireNonNull(survivor, "survivor");
        Objects.requireNonNull(restored, "restored");
    }
}
