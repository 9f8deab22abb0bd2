package dev.switchboard.inbox.calendar;

import static dev.switchboard.inbox.calendar.TestCalendars.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The calendar questions, table-driven: DST-free zones (Moscow, Kolkata), DST zones (Berlin, New York) on their
 * change days, lunch breaks, overnight windows, holidays and date overrides. Times without an offset are the
 * calendar's wall clock.
 */
class BusinessCalendarTableTest {

    @ParameterizedTest(name = "{0} at {1}: open={2}, next opening {3}")
    @CsvSource(textBlock = """
            # calendar, at,                    open,  next opening
            moscow,  2026-12-07T10:00,         true,  2026-12-07T10:00
            moscow,  2026-12-07T09:00,         true,  2026-12-07T09:00
            moscow,  2026-12-07T13:30,         false, 2026-12-07T14:00
            moscow,  2026-12-07T18:00,         false, 2026-12-08T09:00
            moscow,  2026-12-05T12:00,         false, 2026-12-07T09:00
            moscow,  2026-12-26T11:00,         true,  2026-12-26T11:00
            moscow,  2026-12-26T15:00,         false, 2026-12-28T09:00
            moscow,  2026-12-31T14:30,         true,  2026-12-31T14:30
            moscow,  2026-12-31T16:00,         false, 2027-01-04T09:00
            moscow,  2027-01-06T18:30,         false, 2027-01-08T09:00
            kolkata, 2026-12-05T18:59,         true,  2026-12-05T18:59
            kolkata, 2026-12-06T12:00,         false, 2026-12-07T10:00
            berlin,  2026-03-29T01:30+01:00,   true,  2026-03-29T01:30+01:00
            berlin,  2026-03-29T03:59+02:00,   true,  2026-03-29T03:59+02:00
            berlin,  2026-03-29T04:00+02:00,   false, 2026-03-30T08:00
            berlin,  2026-10-25T02:30+01:00,   true,  2026-10-25T02:30+01:00
            berlin,  2026-10-25T00:30+02:00,   false, 2026-10-25T01:00+02:00
            berlin-night, 2026-03-29T03:00+02:00, false, 2026-04-04T02:15+02:00
            newyork, 2026-12-07T05:59,         true,  2026-12-07T05:59
            newyork, 2026-12-07T12:00,         false, 2026-12-07T22:00
            newyork, 2026-03-08T01:30-05:00,   true,  2026-03-08T01:30-05:00
            newyork, 2026-03-08T05:30-04:00,   true,  2026-03-08T05:30-04:00
            newyork, 2026-11-01T01:30-05:00,   true,  2026-11-01T01:30-05:00
            newyork, 2026-12-25T05:00,         true,  2026-12-25T05:00
            newyork, 2026-12-25T07:00,         false, 2026-12-26T22:00
            """)
    void openAndNextOpening(String calendar, String at, boolean open, String next) {
        BusinessCalendar c = TestCalendars.BY_NAME.get(calendar);
        Instant t = at(c, at);
        assertThat(c.isOpenAt(t)).isEqualTo(open);
        assertThat(c.nextOpening(t)).isEqualTo(at(c, next));
    }

    @ParameterizedTest(name = "{0}: business time {1} .. {2} = {3} min")
    @CsvSource(textBlock = """
            # calendar, from,                  to,                      minutes
            moscow,  2026-12-07T00:00,         2026-12-08T00:00,         480
            moscow,  2026-12-07T00:00,         2026-12-14T00:00,         2400
            moscow,  2026-12-07T12:30,         2026-12-07T14:30,         60
            moscow,  2026-12-26T00:00,         2026-12-27T00:00,         240
            moscow,  2026-12-31T00:00,         2027-01-02T00:00,         360
            kolkata, 2026-12-05T00:00,         2026-12-08T00:00,         1080
            berlin,  2026-03-29T00:00+01:00,   2026-03-29T12:00+02:00,   120
            berlin,  2026-10-25T00:00+02:00,   2026-10-25T12:00+01:00,   240
            berlin-night, 2026-03-29T00:00+01:00, 2026-03-29T12:00+02:00, 120
            berlin-night, 2026-10-25T00:00+02:00, 2026-10-25T12:00+01:00, 210
            newyork, 2026-03-07T12:00-05:00,   2026-03-08T12:00-04:00,   420
            newyork, 2026-10-31T12:00-04:00,   2026-11-01T12:00-05:00,   540
            newyork, 2026-12-24T12:00,         2026-12-27T12:00,         960
            newyork, 2026-12-07T05:00,         2026-12-07T05:00,         0
            """)
    void businessDuration(String calendar, String from, String to, long minutes) {
        BusinessCalendar c = TestCalendars.BY_NAME.get(calendar);
        assertThat(c.businessDuration(at(c, from), at(c, to))).isEqualTo(Duration.ofMinutes(minutes));
    }

    @ParameterizedTest(name = "{0}: {1} + {2} business min = {3}")
    @CsvSource(textBlock = """
            # calendar, from,                  minutes, deadline
            moscow,  2026-12-04T17:55,         5,       2026-12-04T18:00
            moscow,  2026-12-04T17:58,         5,       2026-12-07T09:03
            moscow,  2026-12-07T12:30,         60,      2026-12-07T14:30
            moscow,  2026-12-05T12:00,         60,      2026-12-07T10:00
            moscow,  2026-12-31T14:00,         120,     2027-01-04T10:00
            moscow,  2026-12-25T17:00,         120,     2026-12-26T11:00
            kolkata, 2026-12-05T18:00,         120,     2026-12-07T11:00
            berlin,  2026-10-25T00:00+02:00,   200,     2026-10-25T03:20+01:00
            berlin,  2026-03-29T00:00+01:00,   150,     2026-03-30T08:30
            newyork, 2026-03-07T21:00-05:00,   300,     2026-03-08T04:00-04:00
            newyork, 2026-12-24T23:00,         480,     2026-12-26T23:00
            """)
    void addBusinessTime(String calendar, String from, long minutes, String deadline) {
        BusinessCalendar c = TestCalendars.BY_NAME.get(calendar);
        assertThat(c.addBusinessTime(at(c, from), Duration.ofMinutes(minutes))).isEqualTo(at(c, deadline));
    }
}
