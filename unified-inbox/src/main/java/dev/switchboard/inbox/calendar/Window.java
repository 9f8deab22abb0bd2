package dev.switchboard.inbox.calendar;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One opening window of a day on the wall clock of its calendar: it starts at {@code start} and lasts {@code length}
 * (more than zero, at most 24 hours). A window whose end is at or before its start on the clock crosses midnight and
 * ends the next day (an overnight shift, {@code 22:00-06:00}); {@code 18:00-00:00} ends at midnight. A window belongs
 * to the date it starts on: a holiday on the next date does not cut an overnight shift short. Immutable.
 *
 * @param start when it opens on the wall clock
 * @param length how long it stays open (wall-clock length; a DST change within it makes the real length an hour
 *     longer or shorter)
 */
public record Window(LocalTime start, Duration length) {
    private static final Duration DAY = Duration.ofHours(24);

    /** Checks that the window is neither empty nor longer than a day. */
    public Window {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(length, "length");
        if (length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException("empty window starting at " + start + " (length " + length + ")");
        }
        if (length.compareTo(DAY) > 0) {
            throw new IllegalArgumentException("window starting at " + start + " is longer than a day (" + length
                    + ")");
        }
    }

    /**
     * The window from {@code from} to {@code to} on the clock; {@code to} at or before {@code from} means the next
     * day, except that {@code from == to} is an empty window and refused.
     *
     * @throws IllegalArgumentException for an empty window
     */
    public static Window of(LocalTime from, LocalTime to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.equals(to)) {
            throw new IllegalArgumentException("empty window " + from + "-" + to
                    + " (use a whole-day window for 24 hours)");
        }
        Duration length = Duration.between(from, to);
        return new Window(from, length.isNegative() ? length.plus(DAY) : length);
    }

    /** The window between two {@code HH:mm} times, e.g. {@code Window.of("22:00", "06:00")}. */
    public static Window of(String from, String to) {
        return of(time(from), time(to));
    }

    /** Open the whole day, from midnight for 24 hours. */
    public static Window wholeDay() {
        return new Window(LocalTime.MIDNIGHT, DAY);
    }

    /** When it closes on the wall clock (on the next day when it {@link #crossesMidnight()}). */
    public LocalTime end() {
        return start.plus(length);
    }

    /** Whether it ends on the day after it starts (ending exactly at midnight counts as not crossing). */
    public boolean crossesMidnight() {
        return endNanos() > DAY.toNanos();
    }

    /** Nanoseconds since the start of its day at which it starts. */
    long startNanos() {
        return start.toNanoOfDay();
    }

    /** Nanoseconds since the start of its day at which it ends (past 24:00 when it crosses midnight). */
    long endNanos() {
        return start.toNanoOfDay() + length.toNanos();
    }

    static LocalTime time(String hhmm) {
        Objects.requireNonNull(hhmm, "time");
        try {
            return LocalTime.parse(hhmm);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time of day (HH:mm): '" + hhmm + "'", e);
        }
    }

    @Override
    public String toString() {
        return start + "-" + end() + (crossesMidnight() ? " (next day)" : "");
    }
}
