package dev.switchboard.inbox.kpi;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which KPIs to summarise: the cycles opened in a range of days in the tenant's zone ({@code from} inclusive,
 * {@code to} exclusive), grouped by up to all {@link KpiDimension}s and optionally broken down by {@link KpiPeriod},
 * with durations in one {@link TimeBasis}. Immutable; build with {@link #builder(LocalDate, LocalDate)}.
 *
 * <pre>{@code
 * KpiQuery march = KpiQuery.builder(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1))
 *         .groupBy(KpiDimension.AGENT)
 *         .basis(TimeBasis.BUSINESS)
 *         .build();
 * }</pre>
 *
 * @param from the first day (inclusive)
 * @param to the day after the last (exclusive)
 * @param groupBy the dimensions to group by, in this order (empty: one row for the whole range)
 * @param period the period to break the range down into, if any
 * @param basis the clock durations count in
 */
public record KpiQuery(LocalDate from, LocalDate to, List<KpiDimension> groupBy, Optional<KpiPeriod> period,
                       TimeBasis basis) {

    /** Checks the components (see {@link Builder#build()}) and copies the list. */
    public KpiQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        groupBy = List.copyOf(groupBy);
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(basis, "basis");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("KPI query: from (" + from + ") must be before to (" + to + ")");
        }
        if (groupBy.stream().distinct().count() != groupBy.size()) {
            throw new IllegalArgumentException("KPI query: groupBy names a dimension twice: " + groupBy);
        }
    }

    /** A builder for the cycles opened from {@code from} (inclusive) to {@code to} (exclusive). */
    public static Builder builder(LocalDate from, LocalDate to) {
        return new Builder(from, to);
    }

    /** The same query with no grouping and no period: the totals of the range. */
    public KpiQuery totals() {
        return new KpiQuery(from, to, List.of(), Optional.empty(), basis);
    }

    /** Builds a {@link KpiQuery}; defaults: no grouping, no period, calendar time. */
    public static final class Builder {
        private final LocalDate from;
        private final LocalDate to;
        private final List<KpiDimension> groupBy = new ArrayList<>();
        private KpiPeriod period;
        private TimeBasis basis = TimeBasis.CALENDAR;

        private Builder(LocalDate from, LocalDate to) {
            this.from = from;
            this.to = to;
        }

        /** Groups by these dimensions, in this order (replacing earlier ones). */
        public Builder groupBy(KpiDimension... dimensions) {
            groupBy.clear();
            groupBy.addAll(List.of(dimensions));
            return this;
        }

        /** Breaks the range down into days, weeks or months. */
        public Builder period(KpiPeriod period) {
            this.period = Objects.requireNonNull(period, "period");
            return this;
        }

        /** Counts durations in calendar or business time. */
        public Builder basis(TimeBasis basis) {
            this.basis = Objects.requireNonNull(basis, "basis");
            return this;
        }

        /**
         * The query.
         *
         * @throws IllegalArgumentException naming the option when {@code from} is not before {@code to} or a
         *     dimension is named twice
         */
        public KpiQuery build() {
            if (from == null || to == null) {
                throw new IllegalArgumentException("KPI query: from and to are required");
            }
            return new KpiQuery(from, to, groupBy, Optional.ofNullable(period), basis);
        }
    }
}
