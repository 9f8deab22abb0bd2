package dev.switchboard.inbox.kpi;

import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes a {@link KpiSummary} as CSV (RFC 4180, a header row, {@code \r\n} line ends): one line per row with
 * {@code scope} {@code group}, then the total with {@code scope} {@code total}. Durations are milliseconds, ratios
 * the same doubles the API returns; an absent value is an empty field. Internal.
 */
final class KpiCsv {
    private KpiCsv() {
    }

    static void write(KpiSummary summary, Writer out) throws IOException {
        List<String> header = new ArrayList<>(List.of("scope", "period"));
        for (KpiDimension d : summary.query().groupBy()) {
            header.add(d.name().toLowerCase(Locale.ROOT));
        }
        header.addAll(List.of("conversations", "reopened", "messages_in", "messages_out", "resolved", "folded",
                "resolution_rate"));
        for (String name : List.of("first_response", "resolution", "next_response")) {
            for (String stat : List.of("count", "mean_ms", "median_ms", "p90_ms", "max_ms")) {
                header.add(name + "_" + stat);
            }
        }
        header.addAll(List.of("complaints", "ratings", "csat_average",
                "surveys_sent", "survey_response_rate", "first_response_sla_attainment",
                "resolution_sla_attainment"));
        line(out, header);
        for (KpiRow row : summary.rows()) {
            line(out, fields("group", summary.query(), row));
        }
        line(out, fields("total", summary.query(), summary.total()));
        out.flush();
    }

    private static List<String> fields(String scope, KpiQuery query, KpiRow row) {
        List<String> f = new ArrayList<>();
        f.add(scope);
        f.add(row.period().orElse(""));
        for (KpiDimension d : query.groupBy()) {
            f.add(row.group().getOrDefault(d, ""));
        }
        f.add(Long.toString(row.conversations()));
        f.add(Long.toString(row.reopened()));
        f.add(Long.toString(row.messagesIn()));
        f.add(Long.toString(row.messagesOut()));
        f.add(Long.toString(row.resolved()));
        f.add(Long.toString(row.folded()));
        f.add(ratio(row.resolutionRate()));
        for (DurationStats s : List.of(row.firstResponse(), row.resolution(), row.nextResponse())) {
            f.add(Long.toString(s.count()));
            f.add(ms(s.mean()));
            f.add(ms(s.median()));
            f.add(ms(s.p90()));
            f.add(ms(s.max()));
        }
        f.add(Long.toString(row.complaints()));
        f.add(Long.toString(row.ratings()));
        f.add(ratio(row.csatAverage()));
        f.add(Long.toString(row.surveysSent()));
        f.add(ratio(row.surveyResponseRate()));
        f.add(ratio(row.firstResponseSlaAttainment()));
        f.add(ratio(row.resolutionSlaAttainment()));
        return f;
    }

    private static String ms(Optional<Duration> d) {
        return d.map(x -> Long.toString(x.toMillis())).orElse("");
    }

    private static String ratio(Optional<Double> r) {
        return r.map(x -> Double.toString(x)).orElse("");
    }

    private static void line(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(fields.get(i)));
        }
        out.write("\r\n");
    }

    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0
                && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
