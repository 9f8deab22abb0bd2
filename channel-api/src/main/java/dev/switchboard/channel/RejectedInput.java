package dev.switchboard.channel;

import dev.switchboard.model.ChannelId;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Input a channel received but could not turn into an event (malformed JSON, broken MIME, invalid UTF-8, an unknown
 * update type). It is quarantined with its raw bytes and the reason, so nothing a platform delivered is silently
 * lost, and the events around it go on.
 *
 * @param platformEventId the platform's event id when it could still be read, so a redelivery is quarantined once
 */
public record RejectedInput(ChannelId channel, Optional<String> platformEventId, byte[] raw, String reason,
                            Instant receivedAt) {
    public RejectedInput {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(platformEventId, "platformEventId");
        raw = raw.clone();
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RejectedInput r && channel.equals(r.channel) && platformEventId.equals(r.platformEventId)
                && Arrays.equals(raw, r.raw) && reason.equals(r.reason) && receivedAt.equals(r.receivedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, platformEventId, Arrays.hashCode(raw), reason, receivedAt);
    }

    @Override
    public String toString() {
        return "RejectedInput[channel=" + channel + ", eventId=" + platformEventId.orElse("?") + ", " + raw.length
                + " bytes, reason=" + reason + "]";
    }
}
