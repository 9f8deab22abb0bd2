package dev.switchboard.inbox.spi;

import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the transactional outbox: a rendered platform message waiting to be sent, written in the same
 * transaction as the stored outbound message. Workers claim due rows under a lease, send, and record the outcome.
 *
 * @param id unique per row; {@code messageId + ":" + part} of the message
 * @param nextAttemptAt not before this instant (backoff, or the platform's retry-after exactly)
 * @param leaseOwner the node that claimed the row, while {@code leaseUntil} is in the future
 */
public record OutboxEntry(String id, TenantId tenant, OutboundMessage message, Status status, int attempts,
                          Instant nextAttemptAt, Optional<String> lastError, Optional<String> leaseOwner,
                          Optional<Instant> leaseUntil, Instant createdAt, Instant updatedAt) {

    /** Where the row stands. Rows end SENT or FAILED; nothing stays PENDING forever. */
    public enum Status { PENDING, SENT, FAILED }

    public OutboxEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(leaseOwner, "leaseOwner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new row, due now, with no attempts yet. */
    public static OutboxEntry pending(TenantId tenant, OutboundMessage message, Instant now) {
        return new OutboxEntry(message.messageId().value() + ":" + message.part(), tenant, message, Status.PENDING, 0,
                now, Optional.empty(), Optional.empty(), Optional.empty(), now, now);
    }
}
