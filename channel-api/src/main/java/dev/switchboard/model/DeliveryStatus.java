package dev.switchboard.model;

/**
 * The life of a message. Inbound messages are {@code RECEIVED}. Outbound ones move {@code QUEUED -> SENT ->
 * DELIVERED -> READ}, or end {@code FAILED} with a reason; a status never silently stays {@code QUEUED}.
 */
public enum DeliveryStatus {
    RECEIVED, QUEUED, SENT, DELIVERED, READ, FAILED;

    /** Whether this status is later in the outbound life than {@code other} (so late or repeated updates are ignored). */
    public boolean isAfter(DeliveryStatus other) {
        if (this == FAILED) {
            return other == QUEUED || other == SENT;
        }
        if (other == FAILED) {
            return false;
        }
        return ordinal() > other.ordinal();
    }
}
