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
     * The totals of the facts of the query's tenant-agnostic range (the caller passes one tenant's facts): one entry
     * per group with at least one fact, in no particular order; for a query without grouping and period exactly one
     * entry, zero when no fact matches.
     */
    public static List<KpiTotals> aggregate(Collection<KpiFact> facts, KpiQuery query) {
        String from = query.from().toString();
        String to = query.to().toString();
        Map<List<Object>, List<KpiFact>> groups = new LinkedHashMap<>();
        for (KpiFact f : facts) {
            if (f.openedDay().compareTo(from) < 0 || f.openedDay().compareTo(to) >= 0) {
                continue;
            }
            List<Object> key = new ArrayList<>();
            for (KpiDimension d : query.groupBy()) {
                key.add(value(f, d));
            }
            key.add(query.period().map(p -> periodKey(f, p)));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
        if (groups.isEmpty() && query.groupBy().isEmpty() && query.period().isEmpty()) {
            groups.put(List.of(Optional.empty()), List.of());
        }
        List<KpiTotals> out = new ArrayList<>();
        boolean business = query.basis() == TimeBasis.BUSINESS;
        for (Map.Entry<List<Object>, List<KpiFact>> e : groups.entrySet()) {
            List<Object> key = e.getKey();
            List<String> group = new ArrayList<>();
            for (int i = 0; i < key.size() - 1; i++) {
                group.add((String) key.get(i));
            }
            @SuppressWarnings("unchecked")
            Optional<String> period = (Optional<String>) key.get(key.size() - 1);
            out.add(totals(group, period, e.getValue(), business));
        }
        return out;
    }

    /** The value of a dimension for a fact ({@code ""} when it has none). */
    static String value(KpiFact f, KpiDimension d) {
        return switch (d) {
            case CHANNEL_TYPE -> f.channelType();
            case CHANNEL -> f.channel();
            case AGENT -> f.agent();
            case TEAM -> f.team();
            case PRIORITY -> f.priority().name();
        };
    }

    static String periodKey(KpiFact f, KpiPeriod p) {
        return switch (p) {
            case DAY -> f.openedDay();
            case WEEK -> f.openedWeek();
            case MONTH -> f.openedMonth();
        };
    }

    private static KpiTotals totals(List<String> group, Optional<String> period, List<KpiFact> facts,
                                    boolean business) {
        long reopened = 0;
        long in = 0;
        long out = 0;
        long resolved = 0;
        long folded = 0;
        long nextCount = 0;
        long nextSum = 0;
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
            nextCount += f.nextResponses();
            nextSum += business ? f.nextResponseBusinessMs() : f.nextResponseMs();
            complaints += f.complaint() ? 1 : 0;
            if (f.rating().isPresent()) {
                ratings++;
                ratingSum += f.rating().get();
                surveyedRated += f.surveyed() ? 1 : 0;
            }
            surveyed += f.surveyed() ? 1 : 0;
            frCounted += f.firstResponseMs().isPresent() || f.firstResponseBreached() ? 1 : 0;
            frBreached += f.firstResponseBreached() ? 1 : 0;
            resCounted += f.outcome() == KpiOutcome.RESOLVED || f.resolutionBreached() ? 1 : 0;
            resBreached += f.resolutionBreached() ? 1 : 0;
        }
        return new KpiTotals(group, period, facts.size(), reopened, in, out, resolved, folded, durations(first),
                durations(resolution), nextCount, nextSum, complaints, ratings, ratingSum, surveyed, surveyedRated,
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
