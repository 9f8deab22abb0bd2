package dev.switchboard.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded consent decision: the customer granted or revoked permission for a purpose (e.g. {@code marketing}),
 * optionally only for one channel type, at a time, from a source (a form, an agent, a message). Consent records are
 * append-only history; the latest record for a purpose and channel is the one in force. Broadcasts require a granted
 * consent in force.
 */
public record Consent(String purpose, Optional<ChannelType> channelType, boolean granted, Instant at, String source) {
    public Consent {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(channelType, "channelType");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
    }
}
