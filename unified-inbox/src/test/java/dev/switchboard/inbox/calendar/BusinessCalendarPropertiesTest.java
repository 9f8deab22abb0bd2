package dev.switchboard.inbox.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties every calendar keeps, checked on random instants and durations from a fixed seed across two years (so
 * every DST change, holiday and override of the test calendars is crossed): business time never exceeds calendar
 * time, adds up over adjacent ranges, and {@code addBusinessTime} and {@code businessDuration} are inverse.
 */
class BusinessCalendarPropertiesTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SPAN_SECONDS = Duration.ofDays(730).toSeconds();

    @ParameterizedTest
    @ValueSource(strings = {"moscow", "kolkata", "berlin", "berlin-night", "newyork"})
    void businessTimeAndDeadlinesAgree(String name) {
        BusinessCalendar c = TestCalendars.BY_NAME.get(name);
        Random random = new Random(20261206L ^ name.hashCode());
        for (int i = 0; i < 400; i++) {
            Instant a = START.plusSeconds(random.nextLong(SPAN_SECONDS));
            Instant b = a.plusSeconds(random.nextLong(Duration.ofDays(9).toSeconds()));
            Instant m = a.plusSeconds(random.nextLong(Duration.between(a, b).toSeconds() + 1));
            Duration d = Duration.ofSeconds(random.nextLong(Duration.ofHours(60).toSeconds()));

            Duration ab = c.businessDuration(a, b);
            assertThat(ab).as("business time within calendar time, %s..%s", a, b)
                    .isLessThanOrEqualTo(Duration.between(a, b));
            assertThat(c.businessDuration(a, m).plus(c.businessDuration(m, b))).as("additive at %s", m)
                    .isEqualTo(ab);

            Instant deadline = c.addBusinessTime(a, d);
            assertThat(c.businessDuration(a, deadline)).as("business time to the deadline of %s from %s", d, a)
                    .isEqualTo(d);

            Instant back = c.addBusinessTime(a, ab);
            assertThat(back).as("the deadline of the business time of %s..%s", a, b).isBeforeOrEqualTo(b);
            assertThat(c.businessDuration(back, b)).isZero();

            Instant opening = c.nextOpening(a);
            assertThat(c.isOpenAt(opening)).as("open at its next opening from %s", a).isTrue();
            assertThat(c.businessDuration(a, opening)).isZero();
            assertThat(c.isOpenAt(a)).isEqualTo(opening.equals(a));
        }
    }
}
