package dev.switchboard.identity;

import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the merge log: who was merged into whom, on what evidence, by whom (the engine or an agent), with
 * both customers exactly as they were before, so the merge can be undone to give back exactly those customers.
 *
 * @param actor {@code identity-engine} for automatic merges, otherwise the agent or host that asked
 */
public record MergeRecord(TenantId tenant, MergeId id, CustomerId survivor, CustomerId absorbed,
                          List<Evidence> evidence, String reason, String actor, Customer survivorBefore,
                          Customer absorbedBefore, Instant at, Optional<Instant> undoneAt) {
    public MergeRecord {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(survivor, "survivor");
        Objects.requireNonNull(absorbed, "absorbed");
        evidence = List.copyOf(evidence);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(survivorBefore, "survivorBefore");
        Objects.requireNonNull(absorbedBefore, "absorbedBefore");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(undoneAt, "undoneAt");
    }

    /** Whether the merge was undone. */
    public boolean isUndone() {
        return undoneAt.isPresent();
    }

    /** This record marked undone at {@code at}. */
    public MergeRecord undone(Instant at) {
        return new MergeRecord(tenant, id, survivor, absorbed, evidence, reason, actor, survivorBefore,
                absorbedBefore, this.at, Optional.of(at));
    }
}
