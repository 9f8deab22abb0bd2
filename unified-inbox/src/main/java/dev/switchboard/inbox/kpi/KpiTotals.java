package dev.switchboard.inbox.kpi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The raw sums and order statistics of one group of {@link KpiFact}s, as a store aggregates them for a
 * {@link KpiQuery} (SQL {@code GROUP BY}, or {@link KpiAggregation} over facts in memory). Part of the store SPI;
 * {@link Kpis} turns them into {@link KpiRow}s with the same arithmetic for every store. Durations use the query's
 * {@link TimeBasis}. Immutable.
 *
 * @param group the group's values, one per {@link KpiQuery#groupBy()} dimension, in its order
 * @param period the period key ({@code yyyy-MM-dd}) when the query has a period
 * @param conversations cycles opened
 * @param reopened of those, cycles that are reopenings (cycle &gt; 1)
 * @param messagesIn customer messages
 * @param messagesOut replies
 * @param resolved cycles with outcome RESOLVED
 * @param folded cycles with outcome FOLDED
 * @param firstResponse first response times
 * @param resolution resolution times of the resolved cycles
 * @param nextResponse next-response waits (rows of {@link KpiWait})
 * @param complaints cycles marked as complaints
 * @param ratings cycles rated
 * @param ratingSum the sum of their ratings
 * @param surveyed cycles a survey was sent for
 * @param surveyedRated of those, the rated ones
 * @param firstResponseSlaCounted cycles a first-response SLA clock started in that were answered (or resolved) or
 *     whose first-response deadline was breached
 * @param firstResponseSlaBreached of those, the cycles whose first-response deadline was breached
 * @param resolutionSlaCounted cycles a resolution SLA clock started in that were resolved or whose resolution
 *     deadline was breached
 * @param resolutionSlaBreached of those, the cycles whose resolution deadline was breached
 */
public record KpiTotals(List<String> group, Optional<String> period, long conversations, long reopened,
                        long messagesIn, long messagesOut, long resolved, long folded, Durations firstResponse,
                        Durations resolution, Durations nextResponse, long complaints,
                        long ratings, long ratingSum, long surveyed, long surveyedRated,
                        long firstResponseSlaCounted, long firstResponseSlaBreached, long resolutionSlaCounted,
                        long resolutionSlaBreached) {

    /** Checks that no component is null and copies the group. */
    public KpiTotals {
        group = List.copyOf(group);
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(firstResponse, "firstResponse");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(nextResponse, "nextResponse");
    }

    /** These totals with other next-response durations (stores aggregate waits apart from facts). */
    public KpiTotals withNextResponse(Durations waits) {
        return new KpiTotals(group, period, conversations, reopened, messagesIn, messagesOut, resolved, folded,
                firstResponse, resolution, waits, complaints, ratings, ratingSum, surveyed, surveyedRated,
                firstResponseSlaCounted, firstResponseSlaBreached, resolutionSlaCounted, resolutionSlaBreached);
    }

    /**
     * Count, sum and order statistics of a set of durations in milliseconds: the median and p90 are
     * {@code percentile_disc} (the smallest value with at least that fraction of the values at or below it, so
     * always one of the values); all zero when {@code count} is 0.
     *
     * @param count how many
     * @param sumMs their sum
     * @param medianMs the 0.5 {@code percentile_disc}
     * @param p90Ms the 0.9 {@code percentile_disc}
     * @param maxMs the largest
     */
    public record Durations(long count, long sumMs, long medianMs, long p90Ms, long maxMs) {
        /** No durations. */
        public static final Durations NONE = new Durations(0, 0, 0, 0, 0);
    }
}
