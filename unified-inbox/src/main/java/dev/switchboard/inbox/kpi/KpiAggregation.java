package dev.switchboard.inbox.kpi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The aggregation of {@link KpiFact}s into {@link KpiTotals} computed in Java, with exactly the semantics of the SQL
 * the JDBC store runs (the same filters, sums and {@code percentile_disc}). For stores that keep facts in memory;
 * they are expected to be small. Stateless.
 */
public final class KpiAggregation {
    private KpiAggregation() {
    }

    /**
     * The totals of the facts and next-response waits of the query's range (the caller passes one tenant's): one
     * entry per group with at least one fact, in no particular order; for a query without grouping and period exactly one
     * entry, zero when no fact matches.
     */
    public static List<KpiTotals> aggregate(Collection<KpiFact> facts, Collection<KpiWait> waits, KpiQuery query) {
        String from = query.from().toString();
        String to = query.to().toString();
        Map<List<Object>, List<KpiFact>> groups = new LinkedHashMap<>();
        for (KpiFact f : facts) {
            if (f.openedDay().compareTo(from) < 0 || f.openedDay().compareTo(to) >= 0) {
                continue;
            }
            groups.computeIfAbsent(key(f, query), k -> new ArrayList<>()).add(f);
        }
        boolean business = query.basis() == TimeBasis.BUSINESS;
        Map<List<Object>, List<Long>> waitGroups = new LinkedHashMap<>();
        for (KpiWait w : waits) {
            if (w.openedDay().compareTo(from) < 0 || w.openedDay().compareTo(to) >= 0) {
                continue;
            }
            waitGroups.computeIfAbsent(key(KpiFactView.of(w), query), k -> new ArrayList<>())
                    .add(business ? w.businessMs() : w.ms());
        }
        if (groups.isEmpty() && query.groupBy().isEmpty() && query.period().isEmpty()) {
            groups.put(List.of(Optional.empty()), List.of());
        }
        List<KpiTotals> out = new ArrayList<>();
        for (Map.Entry<List<Object>, List<KpiFact>> e : groups.entrySet()) {
            List<Object> key = e.getKey();
            List<String> group = new ArrayList<>();
            for (int i = 0; i < key.size() - 1; i++) {
                group.add((String) key.get(i));
            }
            @SuppressWarnings("unchecked")
            Optional<String> period = (Optional<String>) key.get(key.size() - 1);
            out.add(totals(group, period, e.getValue(), business)
                    .withNextResponse(durations(waitGroups.getOrDefault(key, List.of()))));
        }
        return out;
    }

    /**
     * The histogram of {@code metric} over the facts and waits of the query's range (one tenant's, from the caller):
     * {@code boundsMs.size() + 1} counts, bucket {@code i} holding the values {@code v} with
     * {@code boundsMs[i-1] <= v < boundsMs[i]}.
     */
    public static List<Long> histogram(Collection<KpiFact> facts, Collection<KpiWait> waits, KpiQuery query,
                                       KpiMetric metric, List<Long> boundsMs) {
        String from = query.from().toString();
        String to = query.to().toString();
        boolean business = query.basis() == TimeBasis.BUSINESS;
        long[] counts = new long[boundsMs.size() + 1];
        List<Long> values = new ArrayList<>();
        if (metric == KpiMetric.NEXT_RESPONSE) {
            for (KpiWait w : waits) {
                if (w.openedDay().compareTo(from) >= 0 && w.openedDay().compareTo(to) < 0) {
                    values.add(business ? w.businessMs() : w.ms());
                }
            }
        } else {
            for (KpiFact f : facts) {
                if (f.openedDay().compareTo(from) >= 0 && f.openedDay().compareTo(to) < 0) {
                    (metric == KpiMetric.FIRST_RESPONSE
                            ? business ? f.firstResponseBusinessMs() : f.firstResponseMs()
                            : business ? f.resolutionBusinessMs() : f.resolutionMs()).ifPresent(values::add);
                }
            }
        }
        for (long v : values) {
            int bucket = 0;
            while (bucket < boundsMs.size() && v >= boundsMs.get(bucket)) {
                bucket++;
            }
            counts[bucket]++;
        }
        List<Long> out = new ArrayList<>();
        for (long c : counts) {
            out.add(c);
        }
        return out;
    }

    private static List<Object> key(KpiFactView f, KpiQuery query) {
        List<Object> key = new ArrayList<>();
        for (KpiDimension d : query.groupBy()) {
            key.add(f.value(d));
        }
        key.add(query.period().map(f::periodKey));
        return key;
    }

    private static List<Object> key(KpiFact f, KpiQuery query) {
        return key(KpiFactView.of(f), query);
    }

    /** The group and period keys facts and waits share. */
    private record KpiFactView(String channelType, String channel, String agent, String team, String priority,
                               String slaPolicy, String day, String week, String month) {
        static KpiFactView of(KpiFact f) {
            return new KpiFactView(f.channelType(), f.channel(), f.agent(), f.team(), f.priority().name(),
                    f.slaPolicy(), f.openedDay(), f.openedWeek(), f.openedMonth());
        }

        static KpiFactView of(KpiWait w) {
            return new KpiFactView(w.channelType(), w.channel(), w.agent(), w.team(), w.priority().name(),
                    w.slaPolicy(), w.openedDay(), w.openedWeek(), w.openedMonth());
        }

        String value(KpiDimension d) {
            return switch (d) {
                case CHANNEL_TYPE -> channelType;
                case CHANNEL -> channel;
                case AGENT -> agent;
                case TEAM -> team;
                case PRIORITY -> priority;
                case SLA_POLICY -> slaPolicy;
            };
        }

        String periodKey(KpiPeriod p) {
            return switch (p) {
                case DAY -> day;
                case WEEK -> week;
                case MONTH -> month;
            };
        }
    }

    private static KpiTotals totals(List<String> group, Optional<String> period, List<KpiFact> facts,
                                    boolean business) {
        long reopened = 0;
        long in = 0;
        long out = 0;
        long resolved = 0;
        long folded = 0;
        long complaints = 0;
        long ratings = 0;
        long ratingSum = 0;
        long surveyed = 0;
        long surveyedRated = 0;
        long frCounted = 0;
        long frBreached = 0;
        long resCounted = 0;
        long resBreached = 0;
        List<Long> first = new ArrayList<>();
        List<Long> resolution = new ArrayList<>();
        for (KpiFact f : facts) {
            reopened += f.cycle() > 1 ? 1 : 0;
            in += f.messagesIn();
            out += f.messagesOut();
            resolved += f.outcome() == KpiOutcome.RESOLVED ? 1 : 0;
            folded += f.outcome() == KpiOutcome.FOLDED ? 1 : 0;
            (business ? f.firstResponseBusinessMs() : f.firstResponseMs()).ifPresent(first::add);
            (business ? f.resolutionBusinessMs() : f.resolutionMs()).ifPresent(resolution::add);
            complaints += f.complaint() ? 1 : 0;
            if (f.rating().isPresent()) {
                ratings++;
                ratingSum += f.rating().get();
                surveyedRated += f.surveyed() ? 1 : 0;
            }
            surveyed += f.surveyed() ? 1 : 0;
            // SLA attainment: only cycles a clock of that kind started in, once settled (met or breached)
            if (f.firstResponseSla()) {
                frCounted += f.firstResponseMs().isPresent() || f.outcome() == KpiOutcome.RESOLVED
                        || f.firstResponseBreached() ? 1 : 0;
                frBreached += f.firstResponseBreached() ? 1 : 0;
            }
            if (f.resolutionSla()) {
                resCounted += f.outcome() == KpiOutcome.RESOLVED || f.resolutionBreached() ? 1 : 0;
                resBreached += f.resolutionBreached() ? 1 : 0;
            }
        }
        return new KpiTotals(group, period, facts.size(), reopened, in, out, resolved, folded, durations(first),
                durations(resolution), KpiTotals.Durations.NONE, complaints, ratings, ratingSum, surveyed, surveyedRated,
                frCounted, frBreached, resCounted, resBreached);
    }

    static KpiTotals.Durations durations(List<Long> values) {
        if (values.isEmpty()) {
            return KpiTotals.Durations.NONE;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        long sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return new KpiTotals.Durations(sorted.size(), sum, percentileDisc(sorted, 0.5), percentileDisc(sorted, 0.9),
                sorted.get(sorted.size() - 1));
    }

    /** SQL {@code percentile_disc}: the value at 1-based position {@code ceil(p * n)} of the sorted values. */
    static long percentileDisc(List<Long> sorted, double p) {
        int position = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), position) - 1));
    }
}
