package dev.switchboard.inbox.kpi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A histogram of one KPI duration over a query's range, in its {@link TimeBasis}: consecutive buckets
 * {@code [from, to)} covering zero to infinity, each with how many durations fall in it, counted by the store (SQL
 * {@code GROUP BY} in the JDBC store). The counts add up to the metric's {@link DurationStats#count()} in the summary
 * of the same query. Immutable.
 *
 * @param query the query (its range and basis; a distribution has no grouping or period)
 * @param metric the duration counted
 * @param buckets the buckets, in order: the first from zero, the last without an upper bound
 */
public record KpiDistribution(KpiQuery query, KpiMetric metric, List<Bucket> buckets) {

    /**
     * The bounds {@link Kpis#distribution(KpiQuery, KpiMetric)} uses: 1, 5, 15 and 30 minutes, 1, 2, 4 and 8 hours,
     * 1 and 3 days (11 buckets).
     */
    public static final List<Duration> DEFAULT_BOUNDS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
            Duration.ofHours(4), Duration.ofHours(8), Duration.ofDays(1), Duration.ofDays(3));

    /** The most bounds a caller may give. */
    public static final int MAX_BOUNDS = 50;

    /** Checks that no component is null and copies the buckets. */
    public KpiDistribution {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(metric, "metric");
        buckets = List.copyOf(buckets);
    }

    /** The sum of the buckets' counts. */
    public long count() {
        return buckets.stream().mapToLong(Bucket::count).sum();
    }

    /**
     * One bucket: the durations {@code d} with {@code from <= d < to}.
     *
     * @param from the lower bound (inclusive)
     * @param to the upper bound (exclusive), empty for the last bucket
     * @param count how many durations fall in it
     */
    public record Bucket(Duration from, Optional<Duration> to, long count) {
        /** Checks that no component is null. */
        public Bucket {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }
}
