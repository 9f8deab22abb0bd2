package dev.switchboard.channel;

import java.time.Instant;
import java.util.Objects;

/** Proof a platform accepted a message: its id for the message (for delivery updates and replies) and when. */
public record SendReceipt(String platformMessageId, Instant acceptedAt) {
    public SendReceipt {
        Objects.requireNonNull(platformMessageId, "platformMessageId");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
    }
}
