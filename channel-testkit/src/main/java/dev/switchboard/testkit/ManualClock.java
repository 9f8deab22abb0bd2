package dev.switchboard.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that stands still until the test moves it with {@link #advance(Duration)}, so that time-dependent
 * behaviour (rate limits, expiries, back-off, health timestamps) is asserted without waiting. Give it to a channel or a
 * fake through their {@code clock(...)} option. Thread-safe: readers see the latest {@code advance}. UTC.
 */
public final class ManualClock extends Clock {
    private volatile Instant now;

    /** A clock reading {@code start} until it is advanced. */
    public ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** Moves the clock forward (or back, with a negative duration) by {@code d}. */
    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public String toString() {
        return "ManualClock[" + now + "]";
    }
}
