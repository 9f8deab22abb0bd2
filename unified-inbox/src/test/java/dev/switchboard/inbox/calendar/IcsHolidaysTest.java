package dev.switchboard.inbox.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Public holidays read from an iCalendar feed: all-day, multi-day, yearly, with exceptions; timed events skipped. */
class IcsHolidaysTest {
    private static final String FEED = String.join("\r\n",
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Example//Holidays//EN",
            "BEGIN:VEVENT",
            "UID:new-year@example",
            "DTSTART;VALUE=DATE:20250101",
            "DTEND;VALUE=DATE:20250102",
            "RRULE:FREQ=YEARLY",
            "SUMMARY:New Year's Day",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:winter-break@example",
            "DTSTART;VALUE=DATE:20270102",
            "DTEND;VALUE=DATE:20270105",
            "SUMMARY:Winter break",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:may-day@example",
            "DTSTART;VALUE=DATE:20250501",
            "RRULE:FREQ=YEARLY",
            "EXDATE;VALUE=DATE:20270501",
            "SUMMARY:Labour Day",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:party@example",
            "DTSTART:20261218T170000Z",
            "DTEND:20261218T200000Z",
            "SUMMARY:Office party",
            "END:VEVENT",
            "END:VCALENDAR", "");

    @Test
    void readsAllDayYearlyAndMultiDayEventsWithinTheYears() {
        List<Holiday> days = IcsHolidays.read(FEED, 2026, 2027);
        assertThat(days).extracting(Holiday::date).containsExactly(
                LocalDate.of(2026, 1, 1), LocalDate.of(2026, 5, 1),
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 2), LocalDate.of(2027, 1, 3),
                LocalDate.of(2027, 1, 4));
        assertThat(days.get(0).name()).isEqualTo("New Year's Day");
        assertThat(days.get(3).name()).isEqualTo("Winter break");
    }

    @Test
    void importedHolidaysCloseACalendar() {
        BusinessCalendar c = BusinessCalendar.builder("berlin", "Europe/Berlin").openWeekdays("09:00", "18:00")
                .holidays(IcsHolidays.read(FEED, 2026, 2027)).build();
        // Friday 2027-01-01 and Monday 2027-01-04 are holidays: the next opening after New Year's Eve is Tuesday
        assertThat(c.nextOpening(Instant.parse("2026-12-31T18:00:00Z")))
                .isEqualTo(Instant.parse("2027-01-05T08:00:00Z"));
    }

    @Test
    void textWithoutACalendarIsRefused() {
        assertThatThrownBy(() -> IcsHolidays.read("hello", 2026, 2026))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no VCALENDAR");
        assertThatThrownBy(() -> IcsHolidays.read(FEED, 2027, 2026)).hasMessageContaining("before fromYear");
    }
}
