package dev.switchboard.inbox.calendar;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import biweekly.util.DateTimeComponents;
import biweekly.util.ICalDate;
import biweekly.util.com.google.ical.compat.javautil.DateIterator;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;
import java.util.TreeMap;

/**
 * Reads public holidays from an iCalendar ({@code .ics}) feed, the format governments and calendar services publish
 * them in: every all-day {@code VEVENT} becomes one {@link Holiday} per date it covers (a multi-day event covers each
 * of its dates; a recurring one, e.g. {@code RRULE:FREQ=YEARLY}, each occurrence, with {@code EXDATE}s left out),
 * within the years asked for. Events with a time of day are not holidays and are skipped.
 *
 * <p>Parsing uses the biweekly library ({@code net.sf.biweekly:biweekly}), an <em>optional</em> dependency of
 * unified-inbox: a host that imports {@code .ics} files adds it to its own build; calendars built in code never load
 * it.
 *
 * <pre>{@code
 * List<Holiday> days = IcsHolidays.read(Files.readString(Path.of("holidays-de.ics")), 2026, 2027);
 * BusinessCalendar berlin = BusinessCalendar.builder("berlin", "Europe/Berlin")
 *         .openWeekdays("09:00", "18:00").holidays(days).build();
 * }</pre>
 */
public final class IcsHolidays {
    private static final TimeZone UTC = TimeZone.getTimeZone(ZoneOffset.UTC);

    private IcsHolidays() {
    }

    /**
     * The holidays of every calendar in {@code ics} dated in {@code fromYear..toYear} (inclusive), in date order;
     * a date covered by two events keeps the first event's name.
     *
     * @throws IllegalArgumentException when the text holds no calendar, or the years are reversed
     */
    public static List<Holiday> read(String ics, int fromYear, int toYear) {
        Objects.requireNonNull(ics, "ics");
        if (toYear < fromYear) {
            throw new IllegalArgumentException("toYear " + toYear + " is before fromYear " + fromYear);
        }
        List<ICalendar> calendars = Biweekly.parse(ics).defaultTimezone(UTC).all();
        if (calendars.isEmpty()) {
            throw new IllegalArgumentException("no VCALENDAR found in the iCalendar text");
        }
        LocalDate first = LocalDate.of(fromYear, 1, 1);
        LocalDate last = LocalDate.of(toYear, 12, 31);
        Map<LocalDate, Holiday> out = new TreeMap<>();
        for (ICalendar calendar : calendars) {
            for (VEvent event : calendar.getEvents()) {
                addEvent(event, first, last, out);
            }
        }
        return List.copyOf(out.values());
    }

    /** Reads a feed from a stream (UTF-8, as RFC 5545 requires); see {@link #read(String, int, int)}. */
    public static List<Holiday> read(InputStream ics, int fromYear, int toYear) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Reader r = new InputStreamReader(ics, StandardCharsets.UTF_8)) {
            char[] buf = new char[8192];
            for (int n; (n = r.read(buf)) > 0; ) {
                text.append(buf, 0, n);
            }
        }
        return read(text.toString(), fromYear, toYear);
    }

    private static void addEvent(VEvent event, LocalDate first, LocalDate last, Map<LocalDate, Holiday> out) {
        if (event.getDateStart() == null || event.getDateStart().getValue() == null) {
            return;
        }
        ICalDate start = event.getDateStart().getValue();
        if (start.hasTime()) {
            return; // a timed event is not a holiday
        }
        LocalDate startDate = date(start);
        long days = 1;
        if (event.getDateEnd() != null && event.getDateEnd().getValue() != null) {
            days = Math.max(1, ChronoUnit.DAYS.between(startDate, date(event.getDateEnd().getValue())));
        } else if (event.getDuration() != null && event.getDuration().getValue() != null) {
            days = Math.max(1, event.getDuration().getValue().toMillis() / 86_400_000L);
        }
        String name = event.getSummary() != null && event.getSummary().getValue() != null
                ? event.getSummary().getValue() : "";
        DateIterator occurrences = event.getDateIterator(UTC);
        occurrences.advanceTo(java.util.Date.from(first.minusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant()));
        while (occurrences.hasNext()) {
            LocalDate day = occurrences.next().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
            if (day.isAfter(last)) {
                return;
            }
            for (long i = 0; i < days; i++) {
                LocalDate d = day.plusDays(i);
                if (!d.isBefore(first) && !d.isAfter(last)) {
                    out.putIfAbsent(d, new Holiday(d, name));
                }
            }
        }
    }

    private static LocalDate date(ICalDate value) {
        DateTimeComponents raw = value.getRawComponents();
        if (raw != null) {
            return LocalDate.of(raw.getYear(), raw.getMonth(), raw.getDate());
        }
        return value.toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    }
}
