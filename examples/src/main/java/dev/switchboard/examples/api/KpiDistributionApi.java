package dev.switchboard.examples.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.inbox.kpi.KpiDistribution;
import dev.switchboard.inbox.kpi.KpiMetric;
import dev.switchboard.inbox.kpi.KpiQuery;
import dev.switchboard.inbox.kpi.Kpis;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The KPI histograms of the REST API: {@code GET /reports/kpis/distribution} (JSON) and
 * {@code GET /reports/kpis/distribution.csv} (the same buckets as CSV), documented in {@code docs/openapi.yaml}.
 * Parameters: {@code metric} ({@code firstResponse}, {@code resolution}, {@code nextResponse}; required), the range and
 * basis as in {@link ReportsApi} ({@code from}/{@code to} or {@code last}, {@code basis}), and optionally
 * {@code bounds}: comma-separated bucket bounds in milliseconds, strictly increasing (default
 * {@link KpiDistribution#DEFAULT_BOUNDS}). The store counts the buckets (SQL); a bad parameter is a 400 naming it.
 */
public final class KpiDistributionApi {
    private static final Map<String, KpiMetric> METRICS = Map.of("firstresponse", KpiMetric.FIRST_RESPONSE,
            "resolution", KpiMetric.RESOLUTION, "nextresponse", KpiMetric.NEXT_RESPONSE);

    private final Kpis kpis;
    private final ObjectMapper mapper;
    private final Supplier<LocalDate> today;

    /**
     * Histograms over {@code kpis}, written with {@code mapper}; {@code today} is the tenant's current day, which
     * {@code last} counts back from.
     */
    public KpiDistributionApi(Kpis kpis, ObjectMapper mapper, Supplier<LocalDate> today) {
        this.kpis = Objects.requireNonNull(kpis, "kpis");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.today = Objects.requireNonNull(today, "today");
    }

    /** Adds the histogram routes to {@code router} and returns it. */
    public Router register(Router router) {
        return router.get("/reports/kpis/distribution", this::json)
                .get("/reports/kpis/distribution.csv", this::csv);
    }

    private KpiDistribution distribution(ApiRequest r) {
        String metricName = r.queryParam("metric").filter(v -> !v.isBlank())
                .orElseThrow(() -> ApiException.badRequest("'metric' is required (firstResponse, resolution,"
                        + " nextResponse)"));
        KpiMetric metric = METRICS.get(metricName.strip().toLowerCase(Locale.ROOT));
        if (metric == null) {
            throw ApiException.badRequest("'metric' has an unknown value '" + metricName
                    + "' (firstResponse, resolution, nextResponse)");
        }
        if (r.queryParam("groupBy").filter(v -> !v.isBlank()).isPresent()
                || r.queryParam("period").filter(v -> !v.isBlank()).isPresent()) {
            throw ApiException.badRequest("a distribution has no 'groupBy' or 'period'");
        }
        KpiQuery query = ReportsApi.query(r, today);
        List<Duration> bounds = r.queryParam("bounds").filter(v -> !v.isBlank()).map(KpiDistributionApi::bounds)
                .orElse(KpiDistribution.DEFAULT_BOUNDS);
        try {
            return kpis.distribution(query, metric, bounds);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'bounds': " + e.getMessage());
        }
    }

    private static List<Duration> bounds(String value) {
        List<Duration> out = new ArrayList<>();
        for (String part : value.split(",")) {
            try {
                out.add(Duration.ofMillis(Long.parseLong(part.strip())));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("'bounds' must be milliseconds separated by commas, was '" + value
                        + "'");
            }
        }
        return out;
    }

    private ApiResponse json(ApiRequest r) throws JsonProcessingException {
        KpiDistribution d = distribution(r);
        ObjectNode out = mapper.createObjectNode();
        out.put("from", d.query().from().toString());
        out.put("to", d.query().to().toString());
        out.put("basis", d.query().basis().name().toLowerCase(Locale.ROOT));
        out.put("metric", name(d.metric()));
        out.put("count", d.count());
        var buckets = out.putArray("buckets");
        for (KpiDistribution.Bucket b : d.buckets()) {
            ObjectNode n = buckets.addObject();
            n.put("fromMs", b.from().toMillis());
            b.to().ifPresent(to -> n.put("toMs", to.toMillis()));
            n.put("count", b.count());
        }
        return ApiResponse.json(200, mapper.writeValueAsBytes(out));
    }

    private ApiResponse csv(ApiRequest r) {
        KpiDistribution d = distribution(r);
        StringBuilder out = new StringBuilder("metric,from_ms,to_ms,count\r\n");
        for (KpiDistribution.Bucket b : d.buckets()) {
            out.append(name(d.metric())).append(',').append(b.from().toMillis()).append(',')
                    .append(b.to().map(to -> Long.toString(to.toMillis())).orElse("")).append(',')
                    .append(b.count()).append("\r\n");
        }
        return ApiResponse.text(200, "text/csv; charset=utf-8", out.toString())
                .withHeader("Content-Disposition", "attachment; filename=\"kpi-distribution.csv\"");
    }

    private static String name(KpiMetric m) {
        return switch (m) {
            case FIRST_RESPONSE -> "firstResponse";
            case RESOLUTION -> "resolution";
            case NEXT_RESPONSE -> "nextResponse";
        };
    }
}
