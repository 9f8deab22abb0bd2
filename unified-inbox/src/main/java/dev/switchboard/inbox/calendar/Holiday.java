package dev.switchboard.inbox.calendar;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A date on which a calendar is closed all day (unless an override of the same date opens it), with a name for
 * people ("New Year's Day"). Immutable.
 *
 * @param date the closed date, on the calendar's wall clock
 * @param name what the day is, for people; may be empty
 */
public record Holiday(LocalDate date, String name) {
    /** Checks that no component is null. */
    public Holiday {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(name, "name");
    }
}
