package dev.switchboard.inbox.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad calendars fail at build() with a message naming each offending item. */
class BusinessCalendarValidationTest {

    @Test
    void anUnknownZoneIsNamed() {
        assertThatThrownBy(() -> BusinessCalendar.builder("desk", "Europe/Mosow").openWeekdays("09:00", "18:00")
                .build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("calendar 'desk'").hasMessageContaining("unknown time zone id 'Europe/Mosow'");
    }

    @Test
    void overlappingWindowsOfADayAreNamed() {
        assertThatThrownBy(() -> BusinessCalendar.builder("desk", "UTC")
                .open(DayOfWeek.MONDAY, "09:00", "13:00").open(DayOfWeek.MONDAY, "12:30", "18:00").build())
                .hasMessageContaining("MONDAY: windows 09:00-13:00 and 12:30-18:00 overlap");
    }

    @Test
    void anOvernightWindowOverlappingTheNextDayIsNamed() {
        assertThatThrownBy(() -> BusinessCalendar.builder("desk", "UTC")
                .open(DayOfWeek.SUNDAY, "22:00", "06:00").open(DayOfWeek.MONDAY, "05:00", "12:00").build())
                .hasMessageContaining("SUNDAY into MONDAY: overnight window 22:00-06:00 (next day) overlaps"
                        + " 05:00-12:00");
    }

    @Test
    void emptyAndMalformedWindowsAreNamedTogether() {
        assertThatThrownBy(() -> BusinessCalendar.builder("desk", "Nowhere/City")
                .open(DayOfWeek.TUESDAY, "09:00", "09:00")
                .override(LocalDate.of(2026, 12, 31), "9am", "15:00").build())
                .hasMessageContaining("TUESDAY: empty window 09:00-09:00")
                .hasMessageContaining("2026-12-31: not a time of day (HH:mm): '9am'")
                .hasMessageContaining("unknown time zone id 'Nowhere/City'")
                .hasMessageContaining("no weekly opening windows");
    }

    @Test
    void overlappingOverrideWindowsAreNamed() {
        assertThatThrownBy(() -> BusinessCalendar.builder("desk", "UTC").openWeekdays("09:00", "18:00")
                .override(LocalDate.of(2026, 12, 24), "09:00", "12:00")
                .override(LocalDate.of(2026, 12, 24), "11:00", "13:00").build())
                .hasMessageContaining("2026-12-24: windows 09:00-12:00 and 11:00-13:00 overlap");
    }

    @Test
    void aWindowLongerThanADayOrEmptyIsRefusedByItself() {
        assertThatThrownBy(() -> new Window(LocalTime.NOON, Duration.ofHours(25)))
                .hasMessageContaining("longer than a day");
        assertThatThrownBy(() -> new Window(LocalTime.NOON, Duration.ZERO)).hasMessageContaining("empty window");
    }

    @Test
    void windowsTouchingAcrossMidnightMergeIntoOneOpening() {
        BusinessCalendar c = BusinessCalendar.builder("desk", "UTC")
                .open(DayOfWeek.MONDAY, "20:00", "00:00").open(DayOfWeek.TUESDAY, "00:00", "04:00").build();
        Instant mondayNight = Instant.parse("2026-12-07T21:00:00Z");
        assertThat(c.nextClosing(mondayNight)).isEqualTo(Instant.parse("2026-12-08T04:00:00Z"));
        assertThat(c.businessDuration(mondayNight, Instant.parse("2026-12-08T05:00:00Z")))
                .isEqualTo(Duration.ofHours(7));
    }

    @Test
    void aWindowWhollyInTheSkippedHourNeverOpens() {
        LocalDate springForward = LocalDate.of(2026, 3, 29);
        BusinessCalendar c = BusinessCalendar.builder("desk", "Europe/Berlin").openWeekdays("09:00", "18:00")
                .override(springForward, "02:15", "02:45").build();
        assertThat(c.businessDuration(Instant.parse("2026-03-28T12:00:00Z"), Instant.parse("2026-03-29T12:00:00Z")))
                .isZero();
        assertThat(c.nextOpening(Instant.parse("2026-03-29T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-03-30T07:00:00Z"));
    }

    @Test
    void anOverrideOnAHolidayOpensIt() {
        LocalDate day = LocalDate.of(2026, 12, 28);
        BusinessCalendar c = BusinessCalendar.builder("desk", "UTC").openWeekdays("09:00", "18:00")
                .holiday(day, "bridge day").override(day, List.of(Window.of("10:00", "12:00"))).build();
        assertThat(c.windowsOn(day)).containsExactly(Window.of("10:00", "12:00"));
        assertThat(c.isOpenAt(Instant.parse("2026-12-28T11:00:00Z"))).isTrue();
    }

    @Test
    void aCalendarThatNeverOpensAgainSaysSo() {
        BusinessCalendar.Builder b = BusinessCalendar.builder("desk", "UTC").open(DayOfWeek.MONDAY, "09:00", "10:00");
        LocalDate d = LocalDate.of(2026, 12, 1);
        for (int i = 0; i < BusinessCalendar.MAX_CLOSED_DAYS + 10; i++) {
            b.holiday(d.plusDays(i), "closed");
        }
        BusinessCalendar c = b.build();
        assertThatThrownBy(() -> c.nextOpening(Instant.parse("2026-12-02T00:00:00Z")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not open within");
    }
}
