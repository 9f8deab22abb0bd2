package dev.switchboard.inbox.privacy;

import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The record an erasure leaves behind: which customer was asked for, which customer ids (the customer and every
 * customer merged into them) were erased, who asked and when, when it completed, and what it removed. It holds no
 * personal data, only pseudonymous ids and counts, so it is kept as the proof that the request was carried out. An
 * erasure that was interrupted has no {@code completedAt}; asking again (or the next start of an inbox on the store)
 * completes it.
 *
 * @param customer the customer id the erasure was asked for
 * @param customers every customer id erased with it (merged identities), including {@code customer}
 * @param actor who asked, as the caller named themselves
 * @param messages how many messages were deleted
 * @param mediaDeleted how many media files were deleted where the inbox keeps them (the website chat's uploads)
 * @param mediaKept how many media files are held by a platform that offers no deletion (listed in the export; the
 *     platform's own retention applies)
 */
public record ErasureRecord(TenantId tenant, CustomerId customer, Set<CustomerId> customers, String actor,
                            Instant requestedAt, Optional<Instant> completedAt, long messages, long mediaDeleted,
                            long mediaKept) {

    /** Checks that no component is null and copies the set. */
    public ErasureRecord {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(customer, "customer");
        customers = Set.copyOf(customers);
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(completedAt, "completedAt");
    }

    /** Whether every step of the erasure is done. */
    public boolean isComplete() {
        return completedAt.isPresent();
    }

    /** This record with {@code more} deleted messages added to its count. */
    public ErasureRecord plusMessages(long more) {
        return new ErasureRecord(tenant, customer, customers, actor, requestedAt, completedAt, messages + more,
                mediaDeleted, mediaKept);
    }

    /** This record with its media counts replaced (a resumed erasure counts the same files again). */
    public ErasureRecord withMedia(long deleted, long kept) {
        return new ErasureRecord(tenant, customer, customers, actor, requestedAt, completedAt, messages, deleted,
                kept);
    }

    /** This record marked complete at {@code at}. */
    public ErasureRecord completed(Instant at) {
        return new ErasureRecord(tenant, customer, customers, actor, requestedAt, Optional.of(at), messages,
                mediaDeleted, mediaKept);
    }
}
