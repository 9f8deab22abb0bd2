package dev.switchboard.inbox.kpi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The KPIs of one group of conversation cycles (or of all of them: the summary's total). The formulas are in
 * {@code docs/kpis.md}; ratios are empty when their denominator is 0. Immutable.
 *
 * @param group the group's value per dimension, in the query's order ({@code ""}: cycles without a value)
 * @param period the period key ({@code yyyy-MM-dd}) when the query has a period
 * @param conversations cycles opened (conversations opened plus reopenings)
 * @param reopened of those, reopenings
 * @param messagesIn customer messages stored in those cycles
 * @param messagesOut replies queued in those cycles
 * @param resolved cycles resolved
 * @param folded cycles folded into another conversation by a customer merge
 * @param resolutionRate {@code resolved / (conversations - folded)}
 * @param firstResponse first response times
 * @param resolution resolution times
 * @param nextResponse next-response times (each wait of a customer after a person's reply)
 * @param complaints cycles marked as complaints
 * @param ratings cycles rated
 * @param csatAverage the mean rating (1..5)
 * @param surveysSent cycles a survey was sent for
 * @param surveyResponseRate rated surveyed cycles / surveyed cycles
 * @param firstResponseSlaAttainment of the cycles a first-response SLA clock started in and that are settled
 *     (answered, resolved or breached), the share not breached
 * @param resolutionSlaAttainment the same for resolution clocks (settled: resolved or breached)
 */
public record KpiRow(Map<KpiDimension, String> group, Optional<String> period, long conversations, long reopened,
                     long messagesIn, long messagesOut, long resolved, long folded, Optional<Double> resolutionRate,
                     DurationStats firstResponse, DurationStats resolution, DurationStats nextResponse,
                     long complaints, long ratings, Optional<Double> csatAverage,
                     long surveysSent, Optional<Double> surveyResponseRate,
                     Optional<Double> firstResponseSlaAttainment, Optional<Double> resolutionSlaAttainment) {

    /** Checks that no component is null and copies the group, keeping its order. */
    public KpiRow {
        group = Collections.unmodifiableMap(new LinkedHashMap<>(group));
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(resolutionRate, "resolutionRate");
        Objects.requireNonNull(firstResponse, "firstResponse");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(nextResponse, "nextResponse");
        Objects.requireNonNull(csatAverage, "csatAverage");
        Objects.requireNonNull(surveyResponseRate, "surveyResponseRate");
        Objects.requireNonNull(firstResponseSlaAttainment, "firstResponseSlaAttainment");
        Objects.requireNonNull(resolutionSlaAttainment, "resolutionSlaAttainment");
    }

    /**
     * How many next responses were measured: {@code nextResponse().count()}.
     *
     * @deprecated use {@link #nextResponse()}, which also has the median, p90 and longest
     */
    @Deprecated(forRemoval = true)
    public long nextResponses() {
        return nextResponse.count();
    }

    /**
     * The mean next-response time: {@code nextResponse().mean()}.
     *
     * @deprecated use {@link #nextResponse()}, which also has the median, p90 and longest
     */
    @Deprecated(forRemoval = true)
    public Optional<java.time.Duration> nextResponseMean() {
        return nextResponse.mean();
    }

    /** The row of raw totals for a query's dimensions. */
    static KpiRow of(KpiQuery query, KpiTotals t) {
        Map<KpiDimension, String> group = new LinkedHashMap<>();
        for (int i = 0; i < query.groupBy().size(); i++) {
            group.put(query.groupBy().get(i), t.group().get(i));
        }
        return new KpiRow(group, t.period(), t.conversations(), t.reopened(), t.messagesIn(), t.messagesOut(),
                t.resolved(), t.folded(), ratio(t.resolved(), t.conversations() - t.folded()),
                DurationStats.of(t.firstResponse()), DurationStats.of(t.resolution()),
                DurationStats.of(t.nextResponse()),
                t.complaints(), t.ratings(), ratio(t.ratingSum(), t.ratings()), t.surveyed(),
                ratio(t.surveyedRated(), t.surveyed()),
                ratio(t.firstResponseSlaCounted() - t.firstResponseSlaBreached(), t.firstResponseSlaCounted()),
                ratio(t.resolutionSlaCounted() - t.resolutionSlaBreached(), t.resolutionSlaCounted()));
    }

    private static Optional<Double> ratio(long numerator, long denominator) {
        return denominator <= 0 ? Optional.empty() : Optional.of((double) numerator / denominator);
    }
}
