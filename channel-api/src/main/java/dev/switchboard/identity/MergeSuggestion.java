package dev.switchboard.identity;

import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A scored guess, for an agent to confirm or reject, that two customers are the same person: produced from unverified
 * evidence (a phone typed in a message, a similar name, the same name in Cyrillic and Latin) or from a contact point
 * that became ambiguous. Never merges anything by itself.
 *
 * @param score 0..1, higher is more likely the same person
 * @param reasons human-readable reasons, e.g. {@code "same phone +79161234567 typed in a message"}
 */
public record MergeSuggestion(TenantId tenant, SuggestionId id, CustomerId first, CustomerId second, double score,
                              List<String> reasons, Status status, Instant createdAt, Optional<Instant> decidedAt,
                              Optional<String> decidedBy) {
    /** Where the suggestion stands. */
    public enum Status { OPEN, ACCEPTED, REJECTED, OBSOLETE }

    public MergeSuggestion {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (score < 0 || score > 1) {
            throw new IllegalArgumentException("score must be within 0..1, got " + score);
        }
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(decidedBy, "decidedBy");
    }

    /** This suggestion decided ({@code status}) by {@code by} at {@code at}. */
    public MergeSuggestion decided(Status status, String by, Instant at) {
        return new MergeSuggestion(tenant, id, first, second, score, reasons, status, createdAt, Optional.of(at),
                Optional.of(by));
    }
}
