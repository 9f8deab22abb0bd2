package dev.switchboard.channel.state;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a {@link ChannelState} log: its sequence number (1 for the first entry of the log, one more for each
 * later one, never reused), its value and when it was appended.
 */
public record LogEntry(long seq, String value, Instant appendedAt) {

    public LogEntry {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(appendedAt, "appendedAt");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1: " + seq);
        }
    }
}
