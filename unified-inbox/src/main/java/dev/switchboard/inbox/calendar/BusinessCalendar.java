package dev.switchboard.inbox.calendar;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Business hours: a time zone, opening windows per weekday (several a day for a lunch break; windows that cross
 * midnight for an overnight shift), holidays, and one-off date overrides that replace a date's windows (a short day
 * before a holiday, an extra working Saturday). Built once and validated at {@link Builder#build()}; immutable and
 * thread-safe, and every question takes the instant it is about, so the same calendar answers for any clock.
 *
 * <p>Windows are wall-clock times in the calendar's zone. On a DST change a window keeps its clock times: one that
 * starts in the skipped hour opens when the clock jumps; one that spans the repeated hour lasts an hour longer.
 *
 * <pre>{@code
 * BusinessCalendar support = BusinessCalendar.builder("support", "Europe/Berlin")
 *         .openWeekdays("09:00", "13:00").openWeekdays("14:00", "18:00")  // lunch 13:00-14:00
 *         .holiday(LocalDate.of(2026, 12, 25), "Christmas Day")
 *         .override(LocalDate.of(2026, 12, 24), "09:00", "12:00")        // a short day
 *         .build();
 * Instant deadline = support.addBusinessTime(now, Duration.ofHours(1));
 * }</pre>
 */
public final class BusinessCalendar {
    /** How far {@link #nextOpening} and friends look ahead before deciding the calendar never opens again. */
    static final int MAX_CLOSED_DAYS = 3660;

    private final String name;
    private final ZoneId zone;
    private final Map<DayOfWeek, List<Window>> weekly;
    private final Map<LocalDate, Holiday> holidays;
    private final Map<LocalDate, List<Window>> overrides;

    private BusinessCalendar(String name, ZoneId zone, Map<DayOfWeek, List<Window>> weekly,
                             Map<LocalDate, Holiday> holidays, Map<LocalDate, List<Window>> overrides) {
        this.name = name;
        this.zone = zone;
        this.weekly = weekly;
        this.holidays = holidays;
        this.overrides = overrides;
    }

    /**
     * A builder for a calendar named {@code name} in the time zone with this id (an IANA id such as
     * {@code Europe/Moscow}; checked at {@link Builder#build()}).
     */
    public static Builder builder(String name, String zoneId) {
        return new Builder(name, zoneId);
    }

    /** A calendar open at every instant, in {@code zoneId}: every duration is business time. */
    public static BusinessCalendar alwaysOpen(String zoneId) {
        Builder b = builder("always-open", zoneId);
        for (DayOfWeek d : DayOfWeek.values()) {
            b.open(d, Window.wholeDay());
        }
        return b.build();
    }

    /** The calendar's name. */
    public String name() {
        return name;
    }

    /** The time zone its windows are in. */
    public ZoneId zone() {
        return zone;
    }

    /** The weekly windows of a weekday, in start order (empty when closed that weekday). */
    public List<Window> windows(DayOfWeek day) {
        return weekly.getOrDefault(day, List.of());
    }

    /** The holidays, by date. */
    public Map<LocalDate, Holiday> holidays() {
        return holidays;
    }

    /** The date overrides (windows replacing a date's weekly ones; an empty list closes the date), by date. */
    public Map<LocalDate, List<Window>> overrides() {
        return overrides;
    }

    /** The windows in force on a date: its override, else none on a holiday, else its weekday's. */
    public List<Window> windowsOn(LocalDate date) {
        List<Window> override = overrides.get(date);
        if (override != null) {
            return override;
        }
        if (holidays.containsKey(date)) {
            return List.of();
        }
        return windows(date.getDayOfWeek());
    }

    /** Whether the business is open at {@code at}. */
    public boolean isOpenAt(Instant at) {
        Interval i = new OpenIntervals(this, at).next();
        return !i.start().isAfter(at);
    }

    /**
     * The first instant at or after {@code at} at which the business is open: {@code at} itself when it is open.
     *
     * @throws IllegalStateException when the calendar does not open within ten years (holidays cover everything)
     */
    public Instant nextOpening(Instant at) {
        Interval i = new OpenIntervals(this, at).next();
        return i.start().isAfter(at) ? i.start() : at;
    }

    /**
     * When the opening that contains {@code at} (or, when closed, the next one) ends; consecutive windows that touch
     * (Monday 22:00-00:00 and Tuesday 00:00-06:00) count as one opening. An opening that lasts more than a month (a
     * calendar open around the clock) is cut into parts of a month, so such a calendar "closes" a month ahead.
     */
    public Instant nextClosing(Instant at) {
        return new OpenIntervals(this, at).next().end();
    }

    /**
     * The business time between two instants: how long the business is open in {@code [from, to)}.
     *
     * @throws IllegalArgumentException when {@code to} is before {@code from}
     */
    public Duration businessDuration(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to (" + to + ") is before from (" + from + ")");
        }
        Duration total = Duration.ZERO;
        OpenIntervals walk = new OpenIntervals(this, from);
        while (true) {
            Interval i = walk.nextOrNull(to);
            if (i == null || !i.start().isBefore(to)) {
                return total;
            }
            Instant s = i.start().isAfter(from) ? i.start() : from;
            Instant e = i.end().isBefore(to) ? i.end() : to;
            if (e.isAfter(s)) {
                total = total.plus(Duration.between(s, e));
            }
        }
    }

    /**
     * The instant at which {@code amount} of business time has passed since {@code from}: the deadline of a target
     * counted in business hours. {@code businessDuration(from, addBusinessTime(from, d))} equals {@code d}; when the
     * business is closed at {@code from}, counting starts at the next opening. Zero returns {@code from}.
     *
     * @throws IllegalArgumentException when {@code amount} is negative
     */
    public Instant addBusinessTime(Instant from, Duration amount) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must not be negative: " + amount);
        }
        if (amount.isZero()) {
            return from;
        }
        Duration left = amount;
        OpenIntervals walk = new OpenIntervals(this, from);
        while (true) {
            Interval i = walk.next();
            Instant s = i.start().isAfter(from) ? i.start() : from;
            Duration available = Duration.between(s, i.end());
            if (left.compareTo(available) <= 0) {
                return s.plus(left);
            }
            left = left.minus(available);
        }
    }

    /** The instant a wall-clock date and time of this calendar starts (in a DST gap: when the clock jumps). */
    Instant startOf(LocalDateTime local) {
        ZoneOffsetTransition gap = gap(local);
        return gap != null ? gap.getInstant()
                : ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap().toInstant();
    }

    /**
     * The instant a wall-clock end time is reached: in a repeated hour the second time (the window lasts the extra
     * hour), in a skipped hour when the clock jumps (the time has passed by then).
     */
    Instant endOf(LocalDateTime local) {
        ZoneOffsetTransition gap = gap(local);
        return gap != null ? gap.getInstant()
                : ZonedDateTime.ofLocal(local, zone, null).withLaterOffsetAtOverlap().toInstant();
    }

    private ZoneOffsetTransition gap(LocalDateTime local) {
        ZoneRules rules = zone.getRules();
        return rules.getValidOffsets(local).isEmpty() ? rules.getTransition(local) : null;
    }

    @Override
    public String toString() {
        return "BusinessCalendar[" + name + ", " + zone + ", " + weekly + ", " + holidays.size() + " holidays, "
                + overrides.size() + " overrides]";
    }

    /**
     * Collects a calendar's windows, holidays and overrides; {@link #build()} checks them all and names every
     * offending item (an unknown zone id, an empty window, windows that overlap, no weekly hours at all). Not
     * thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final String zoneId;
        private final Map<DayOfWeek, List<Window>> weekly = new EnumMap<>(DayOfWeek.class);
        private final Map<LocalDate, Holiday> holidays = new TreeMap<>();
        private final Map<LocalDate, List<Window>> overrides = new TreeMap<>();
        private final List<String> problems = new ArrayList<>();

        private Builder(String name, String zoneId) {
            this.name = Objects.requireNonNull(name, "name");
            this.zoneId = Objects.requireNonNull(zoneId, "zoneId");
        }

        /** Adds a window to a weekday. */
        public Builder open(DayOfWeek day, Window window) {
            weekly.computeIfAbsent(Objects.requireNonNull(day, "day"), d -> new ArrayList<>())
                    .add(Objects.requireNonNull(window, "window"));
            return this;
        }

        /** Adds a window {@code from-to} ({@code HH:mm}) to a weekday; see {@link Window#of(LocalTime, LocalTime)}. */
        public Builder open(DayOfWeek day, String from, String to) {
            Optional<Window> w = window(day.toString(), from, to);
            w.ifPresent(window -> open(day, window));
            return this;
        }

        /** Adds the window {@code from-to} to Monday to Friday. */
        public Builder openWeekdays(String from, String to) {
            for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
                    DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
                open(d, from, to);
            }
            return this;
        }

        /** Closes a date all day (unless an override of the same date opens it). */
        public Builder holiday(LocalDate date, String name) {
            holidays.put(Objects.requireNonNull(date, "date"), new Holiday(date, name));
            return this;
        }

        /** Adds holidays, e.g. from {@link IcsHolidays}. */
        public Builder holidays(Collection<Holiday> days) {
            days.forEach(h -> holidays.put(h.date(), h));
            return this;
        }

        /**
         * Replaces a date's windows with this one (call again to add more windows to the same date): a short day,
         * or an extra working day on a weekend or a holiday.
         */
        public Builder override(LocalDate date, String from, String to) {
            Optional<Window> w = window(String.valueOf(date), from, to);
            overrides.computeIfAbsent(Objects.requireNonNull(date, "date"), d -> new ArrayList<>());
            w.ifPresent(window -> overrides.get(date).add(window));
            return this;
        }

        /** Replaces a date's windows with these; no windows closes the date. */
        public Builder override(LocalDate date, List<Window> windows) {
            overrides.computeIfAbsent(Objects.requireNonNull(date, "date"), d -> new ArrayList<>())
                    .addAll(windows);
            return this;
        }

        private Optional<Window> window(String where, String from, String to) {
            try {
                return Optional.of(Window.of(from, to));
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
                return Optional.empty();
            }
        }

        /**
         * Checks everything and builds the calendar.
         *
         * @throws IllegalArgumentException naming every offending item: an unknown time zone id, an empty or
         *     malformed window, windows of one weekday or date that overlap (an overnight window overlapping the
         *     next weekday's first window included), or no weekly window at all
         */
        public BusinessCalendar build() {
            List<String> errors = new ArrayList<>(problems);
            ZoneId zone = null;
            try {
                zone = ZoneId.of(zoneId);
            } catch (DateTimeException e) {
                errors.add("unknown time zone id '" + zoneId + "'");
            }
            if (weekly.values().stream().allMatch(List::isEmpty)) {
                errors.add("no weekly opening windows (a calendar must open on at least one weekday)");
            }
            Map<DayOfWeek, List<Window>> sortedWeekly = new EnumMap<>(DayOfWeek.class);
            weekly.forEach((day, ws) -> sortedWeekly.put(day, sorted(ws)));
            for (DayOfWeek day : DayOfWeek.values()) {
                List<Window> today = sortedWeekly.getOrDefault(day, List.of());
                checkOverlaps(day.toString(), today, errors);
                List<Window> tomorrow = sortedWeekly.getOrDefault(day.plus(1), List.of());
                checkSpill(day + " into " + day.plus(1), today, tomorrow, errors);
            }
            Map<LocalDate, List<Window>> sortedOverrides = new LinkedHashMap<>();
            overrides.forEach((date, ws) -> {
                sortedOverrides.put(date, sorted(ws));
                checkOverlaps(date.toString(), sortedOverrides.get(date), errors);
            });
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("calendar '" + name + "' is invalid: " + String.join("; ", errors));
            }
            Map<DayOfWeek, List<Window>> frozenWeekly = new EnumMap<>(DayOfWeek.class);
            sortedWeekly.forEach(frozenWeekly::put);
            return new BusinessCalendar(name, zone, java.util.Collections.unmodifiableMap(frozenWeekly),
                    java.util.Collections.unmodifiableMap(new TreeMap<>(holidays)),
                    java.util.Collections.unmodifiableMap(new TreeMap<>(sortedOverrides)));
        }

        private static List<Window> sorted(List<Window> ws) {
            return ws.stream().sorted(Comparator.comparing(Window::start)).toList();
        }

        private static void checkOverlaps(String where, List<Window> ws, List<String> errors) {
            for (int i = 1; i < ws.size(); i++) {
                if (ws.get(i).startNanos() < ws.get(i - 1).endNanos()) {
                    errors.add(where + ": windows " + ws.get(i - 1) + " and " + ws.get(i) + " overlap");
                }
            }
        }

        /** An overnight window of one weekday must end before the next weekday's windows start. */
        private static void checkSpill(String where, List<Window> today, List<Window> tomorrow, List<String> errors) {
            long dayNanos = Duration.ofHours(24).toNanos();
            for (Window w : today) {
                if (!w.crossesMidnight()) {
                    continue;
                }
                long spillEnd = w.endNanos() - dayNanos;
                for (Window next : tomorrow) {
                    if (next.startNanos() < spillEnd) {
                        errors.add(where + ": overnight window " + w + " overlaps " + next);
                    }
                }
            }
        }
    }

    /** An opening, in instants. */
    record Interval(Instant start, Instant end) {
    }

    /** The intervals of one date, in start order (an overnight window's ends the next day). */
    List<Interval> intervalsOn(LocalDate date) {
        List<Window> ws = windowsOn(date);
        if (ws.isEmpty()) {
            return List.of();
        }
        List<Interval> out = new ArrayList<>(ws.size());
        LocalDateTime midnight = date.atTime(LocalTime.MIDNIGHT);
        for (Window w : ws) {
            LocalDateTime from = midnight.plusNanos(w.startNanos());
            LocalDateTime to = midnight.plusNanos(w.endNanos());
            Instant s = startOf(from);
            Instant e = endOf(to);
            if (e.isAfter(s)) {
                out.add(new Interval(s, e));
            }
        }
        return out;
    }
}
