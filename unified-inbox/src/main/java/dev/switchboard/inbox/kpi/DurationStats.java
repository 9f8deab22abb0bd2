package dev.switchboard.inbox.kpi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A KPI duration's distribution in one group: how many, the mean (the exact mean rounded half up to the millisecond),
 * the median and p90 ({@code percentile_disc}: always one of the measured values; the median of an even count is the
 * lower middle value) and the largest. Empty durations when {@code count} is 0. Immutable.
 *
 * @param count how many durations were measured
 * @param mean their mean
 * @param median the 0.5 percentile
 * @param p90 the 0.9 percentile
 * @param max the largest
 */
public record DurationStats(long count, Optional<Duration> mean, Optional<Duration> median, Optional<Duration> p90,
                            Optional<Duration> max) {

    /** Checks that no component is null. */
    public DurationStats {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(median, "median");
        Objects.requireNonNull(p90, "p90");
        Objects.requireNonNull(max, "max");
    }

    /** The statistics of raw totals. */
    static DurationStats of(KpiTotals.Durations d) {
        if (d.count() == 0) {
            return new DurationStats(0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        return new DurationStats(d.count(), Optional.of(Duration.ofMillis(meanMs(d.sumMs(), d.count()))),
                Optional.of(Duration.ofMillis(d.medianMs())), Optional.of(Duration.ofMillis(d.p90Ms())),
                Optional.of(Duration.ofMillis(d.maxMs())));
    }

    /** {@code sum / count} rounded half up, exactly (durations are never negative). */
    static long meanMs(long sum, long count) {
        return Math.floorDiv(2 * sum + count, 2 * count);
    }
}
