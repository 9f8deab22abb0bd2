package dev.switchboard.inbox.calendar;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Walks a calendar's openings forward from an instant, date by date, merging openings that touch or overlap (an
 * overnight window running into the next date's first window), and skipping those that ended by the start instant.
 * Internal.
 */
final class OpenIntervals {
    /**
     * The longest merged opening reported at once. A calendar open around the clock would otherwise merge forever;
     * its openings are reported in parts this long, which touch, so every sum and lookup stays the same.
     */
    static final Duration MAX_OPENING = Duration.ofDays(31);

    private final BusinessCalendar calendar;
    private final Instant from;
    private final Deque<BusinessCalendar.Interval> raw = new ArrayDeque<>();
    private LocalDate nextDate;
    private BusinessCalendar.Interval pending;
    private int emptyDays;

    OpenIntervals(BusinessCalendar calendar, Instant from) {
        this.calendar = calendar;
        this.from = from;
        // the previous date's overnight windows may still be open at the start instant
        this.nextDate = from.atZone(calendar.zone()).toLocalDate().minusDays(1);
    }

    /**
     * The next merged opening that ends after the start instant.
     *
     * @throws IllegalStateException when the calendar stays closed for {@link BusinessCalendar#MAX_CLOSED_DAYS}
     */
    BusinessCalendar.Interval next() {
        BusinessCalendar.Interval i = nextOrNull(null);
        if (i == null) {
            throw new IllegalStateException("calendar '" + calendar.name() + "' does not open within "
                    + BusinessCalendar.MAX_CLOSED_DAYS + " days after " + from);
        }
        return i;
    }

    /**
     * The next merged opening, or null when the calendar stays closed too long, or (when {@code limit} is given)
     * when no opening starts before {@code limit}.
     */
    BusinessCalendar.Interval nextOrNull(Instant limit) {
        while (true) {
            while (!raw.isEmpty()) {
                BusinessCalendar.Interval r = raw.poll();
                if (!r.end().isAfter(from)) {
                    continue;
                }
                if (pending == null) {
                    pending = r;
                } else if (!r.start().isAfter(pending.end())) {
                    if (r.end().isAfter(pending.end())) {
                        pending = new BusinessCalendar.Interval(pending.start(), r.end());
                    }
                    if (Duration.between(pending.start(), pending.end()).compareTo(MAX_OPENING) >= 0) {
                        BusinessCalendar.Interval out = pending;
                        pending = null;
                        return out;
                    }
                } else {
                    BusinessCalendar.Interval out = pending;
                    pending = r;
                    return out;
                }
            }
            Instant nextDayStart = calendar.startOf(nextDate.atTime(LocalTime.MIDNIGHT));
            if (pending != null && nextDayStart.isAfter(pending.end())) {
                BusinessCalendar.Interval out = pending; // nothing generated from here on can touch it
                pending = null;
                return out;
            }
            if (limit != null && pending == null && !nextDayStart.isBefore(limit)) {
                return null;
            }
            if (emptyDays > BusinessCalendar.MAX_CLOSED_DAYS) {
                return null;
            }
            var day = calendar.intervalsOn(nextDate);
            emptyDays = day.isEmpty() ? emptyDays + 1 : 0;
            raw.addAll(day);
            nextDate = nextDate.plusDays(1);
        }
    }
}
