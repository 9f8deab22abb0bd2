package dev.switchboard.inbox.calendar;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Map;

/** The calendars the calendar tests share, by name. */
final class TestCalendars {
    /** Moscow (UTC+3, no DST): weekdays with a lunch break, a short New Year's Eve, an extra working Saturday. */
    static final BusinessCalendar MOSCOW = BusinessCalendar.builder("moscow", "Europe/Moscow")
            .openWeekdays("09:00", "13:00").openWeekdays("14:00", "18:00")
            .holiday(LocalDate.of(2027, 1, 1), "New Year's Day")
            .holiday(LocalDate.of(2027, 1, 7), "Orthodox Christmas")
            .override(LocalDate.of(2026, 12, 31), "09:00", "15:00")
            .override(LocalDate.of(2026, 12, 26), "10:00", "14:00")
            .build();

    /** Kolkata (UTC+5:30, no DST): Monday to Saturday 10:00-19:00. */
    static final BusinessCalendar KOLKATA = sixDays();

    /** Berlin (DST): weekdays 08:00-17:00 and a Sunday night window 01:00-04:00 across both DST changes. */
    static final BusinessCalendar BERLIN = BusinessCalendar.builder("berlin", "Europe/Berlin")
            .openWeekdays("08:00", "17:00").open(DayOfWeek.SUNDAY, "01:00", "04:00")
            .build();

    /** Berlin, a Sunday night window 00:00-02:30 whose end falls in the skipped and the repeated hour. */
    static final BusinessCalendar BERLIN_NIGHT = BusinessCalendar.builder("berlin-night", "Europe/Berlin")
            .open(DayOfWeek.SUNDAY, "00:00", "02:30").open(DayOfWeek.SATURDAY, "02:15", "02:45").build();

    /** New York (DST): an overnight shift 22:00-06:00 every day, closed from Christmas Day's evening. */
    static final BusinessCalendar NEW_YORK = overnight();

    static final Map<String, BusinessCalendar> BY_NAME = Map.of("moscow", MOSCOW, "kolkata", KOLKATA,
            "berlin", BERLIN, "berlin-night", BERLIN_NIGHT, "newyork", NEW_YORK);

    private TestCalendars() {
    }

    private static BusinessCalendar sixDays() {
        BusinessCalendar.Builder b = BusinessCalendar.builder("kolkata", "Asia/Kolkata");
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d != DayOfWeek.SUNDAY) {
                b.open(d, "10:00", "19:00");
            }
        }
        return b.build();
    }

    private static BusinessCalendar overnight() {
        BusinessCalendar.Builder b = BusinessCalendar.builder("newyork", "America/New_York");
        for (DayOfWeek d : DayOfWeek.values()) {
            b.open(d, "22:00", "06:00");
        }
        return b.holiday(LocalDate.of(2026, 12, 25), "Christmas Day").build();
    }

    /**
     * An instant written either with an offset ({@code 2026-10-25T02:30+01:00}, exact in a repeated hour) or as the
     * calendar's wall-clock time ({@code 2026-12-07T10:00}).
     */
    static Instant at(BusinessCalendar calendar, String text) {
        if (text.length() > 16) {
            return OffsetDateTime.parse(text).toInstant();
        }
        return LocalDateTime.parse(text).atZone(calendar.zone()).toInstant();
    }
}
