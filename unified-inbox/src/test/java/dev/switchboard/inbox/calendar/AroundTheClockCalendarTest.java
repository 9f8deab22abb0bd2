package dev.switchboard.inbox.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calendars whose openings never end (open around the clock, {@link BusinessCalendar#alwaysOpen}, the registry's
 * default) answer every question: their openings merge across midnight without end, and are reported in parts of a
 * month. The timeout only guards against the endless merge this test exists for; it never decides a pass.
 */
@Timeout(120)
class AroundTheClockCalendarTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void alwaysOpenIsOpenAtEveryInstantAndBusinessTimeIsCalendarTime() {
        BusinessCalendar c = BusinessCalendar.alwaysOpen("Europe/Moscow");
        Random random = new Random(20261207L);
        for (int i = 0; i < 200; i++) {
            Instant a = START.plusSeconds(random.nextLong(Duration.ofDays(730).toSeconds()));
            Instant b = a.plusSeconds(random.nextLong(Duration.ofDays(100).toSeconds()));
            Duration d = Duration.ofSeconds(random.nextLong(Duration.ofDays(90).toSeconds()));
            assertThat(c.isOpenAt(a)).as("open at %s", a).isTrue();
            assertThat(c.nextOpening(a)).isEqualTo(a);
            assertThat(c.nextClosing(a)).as("closes only a month or so ahead").isAfter(a.plus(Duration.ofDays(29)));
            assertThat(c.businessDuration(a, b)).as("%s..%s", a, b).isEqualTo(Duration.between(a, b));
            assertThat(c.addBusinessTime(a, d)).as("%s from %s", d, a).isEqualTo(a.plus(d));
        }
        assertThat(CalendarRegistry.ALWAYS_OPEN.isOpenAt(START)).isTrue();
    }

    @Test
    void aRoundTheClockWeekClosesOnlyOnItsHoliday() {
        BusinessCalendar.Builder b = BusinessCalendar.builder("hotline", "UTC");
        for (DayOfWeek day : DayOfWeek.values()) {
            b.open(day, Window.wholeDay());
        }
        BusinessCalendar c = b.holiday(LocalDate.of(2026, 3, 8), "Women's Day").build();
        Instant before = Instant.parse("2026-02-01T12:00:00Z");
        assertThat(c.isOpenAt(before)).isTrue();
        assertThat(c.nextClosing(before)).as("a month's part, at most up to the holiday")
                .isBetween(before.plus(Duration.ofDays(29)), Instant.parse("2026-03-08T00:00:00Z"));
        assertThat(c.nextClosing(Instant.parse("2026-03-06T12:00:00Z"))).as("the holiday closes it")
                .isEqualTo(Instant.parse("2026-03-08T00:00:00Z"));
        assertThat(c.isOpenAt(Instant.parse("2026-03-08T12:00:00Z"))).isFalse();
        assertThat(c.nextOpening(Instant.parse("2026-03-08T12:00:00Z"))).isEqualTo(Instant.parse("2026-03-09T00:00:00Z"));
        assertThat(c.businessDuration(Instant.parse("2026-03-07T00:00:00Z"), Instant.parse("2026-03-10T00:00:00Z")))
                .isEqualTo(Duration.ofDays(2));
    }
}
