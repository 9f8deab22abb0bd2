package dev.switchboard.channel.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of a {@link ChannelState}: its key, its value, its version (1 for the first write, one more on every
 * later write of the key, so a {@link ChannelState#compareAndSet compare-and-set} can tell whether someone wrote in
 * between) and when it expires, if ever.
 */
public record StateRecord(String key, String value, long version, Optional<Instant> expiresAt) {

    public StateRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1: " + version);
        }
    }

    /** Whether the record has expired at {@code now} (and so reads as absent). */
    public boolean expiredAt(Instant now) {
        return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
    }
}
