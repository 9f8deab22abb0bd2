package dev.switchboard.examples.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.inbox.kpi.DurationStats;
import dev.switchboard.inbox.kpi.KpiDimension;
import dev.switchboard.inbox.kpi.KpiPeriod;
import dev.switchboard.inbox.kpi.KpiQuery;
import dev.switchboard.inbox.kpi.KpiRow;
import dev.switchboard.inbox.kpi.KpiSummary;
import dev.switchboard.inbox.kpi.Kpis;
import dev.switchboard.inbox.kpi.TimeBasis;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The reports part of the REST API: {@code GET /reports/kpis} (JSON) and {@code GET /reports/kpis.csv} (the same
 * numbers as CSV) over one tenant's {@link Kpis}, documented in {@code docs/openapi.yaml}. Query parameters:
 * {@code from} and {@code to} (days, {@code to} exclusive), {@code groupBy} (comma-separated: {@code channelType},
 * {@code channel}, {@code agent}, {@code team}, {@code priority}, {@code slaPolicy}), {@code period} ({@code day}, {@code week},
 * {@code month}), {@code basis} ({@code calendar}, the default, or {@code business}); instead of {@code from} and
 * {@code to}, {@code last} (1 to 366) asks for the last that many days up to today in the tenant's zone (the answer
 * names the days). Bad parameters are a 400 naming the parameter; absent values are left out (no {@code null}s).
 * Registered on the API's router with {@link #register(Router)}.
 */
public final class ReportsApi {
    private static final Map<String, KpiDimension> DIMENSIONS = Map.of("channeltype", KpiDimension.CHANNEL_TYPE,
            "channel", KpiDimension.CHANNEL, "agent", KpiDimension.AGENT, "team", KpiDimension.TEAM,
            "priority", KpiDimension.PRIORITY, "slapolicy", KpiDimension.SLA_POLICY);

    /** The longest range {@code last} accepts, in days. */
    static final int MAX_LAST_DAYS = 366;

    private final Kpis kpis;
    private final ObjectMapper mapper;
    private final Supplier<LocalDate> today;

    /** Reports over {@code kpis}, written with {@code mapper}; {@code last} counts back from today in UTC. */
    public ReportsApi(Kpis kpis, ObjectMapper mapper) {
        this(kpis, mapper, () -> LocalDate.now(ZoneOffset.UTC));
    }

    /**
     * Reports over {@code kpis}, written with {@code mapper}; {@code today} is the tenant's current day (in the zone
     * its KPIs count days in), which the {@code last} parameter counts back from.
     */
    public ReportsApi(Kpis kpis, ObjectMapper mapper, Supplier<LocalDate> today) {
        this.kpis = Objects.requireNonNull(kpis, "kpis");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.today = Objects.requireNonNull(today, "today");
    }

    /** Adds the report routes to {@code router} and returns it. */
    public Router register(Router router) {
        return router.get("/reports/kpis", this::json).get("/reports/kpis.csv", this::csv);
    }

    private ApiResponse json(ApiRequest r) throws JsonProcessingException {
        KpiQuery query = query(r, today);
        KpiSummary summary = kpis.summary(query);
        ObjectNode out = mapper.createObjectNode();
        out.put("from", query.from().toString());
        out.put("to", query.to().toString());
        out.put("basis", query.basis().name().toLowerCase(Locale.ROOT));
        query.period().ifPresent(p -> out.put("period", p.name().toLowerCase(Locale.ROOT)));
        var groupBy = out.putArray("groupBy");
        query.groupBy().forEach(d -> groupBy.add(name(d)));
        out.set("total", row(summary.total()));
        var rows = out.putArray("rows");
        summary.rows().forEach(row -> rows.add(row(row)));
        return ApiResponse.json(200, mapper.writeValueAsBytes(out));
    }

    private ApiResponse csv(ApiRequest r) throws IOException {
        StringWriter out = new StringWriter();
        kpis.exportCsv(query(r, today), out);
        return ApiResponse.text(200, "text/csv; charset=utf-8", out.toString())
                .withHeader("Content-Disposition", "attachment; filename=\"kpis.csv\"");
    }

    private ObjectNode row(KpiRow row) {
        ObjectNode n = mapper.createObjectNode();
        ObjectNode group = n.putObject("group");
        row.group().forEach((d, v) -> group.put(name(d), v));
        row.period().ifPresent(p -> n.put("period", p));
        n.put("conversations", row.conversations());
        n.put("reopened", row.reopened());
        n.put("messagesIn", row.messagesIn());
        n.put("messagesOut", row.messagesOut());
        n.put("resolved", row.resolved());
        n.put("folded", row.folded());
        ratio(n, "resolutionRate", row.resolutionRate());
        n.set("firstResponse", stats(row.firstResponse()));
        n.set("resolution", stats(row.resolution()));
        n.set("nextResponse", stats(row.nextResponse()));
        n.put("complaints", row.complaints());
        n.put("ratings", row.ratings());
        ratio(n, "csatAverage", row.csatAverage());
        n.put("surveysSent", row.surveysSent());
        ratio(n, "surveyResponseRate", row.surveyResponseRate());
        ratio(n, "firstResponseSlaAttainment", row.firstResponseSlaAttainment());
        ratio(n, "resolutionSlaAttainment", row.resolutionSlaAttainment());
        return n;
    }

    private ObjectNode stats(DurationStats s) {
        ObjectNode n = mapper.createObjectNode();
        n.put("count", s.count());
        millis(n, "meanMs", s.mean());
        millis(n, "medianMs", s.median());
        millis(n, "p90Ms", s.p90());
        millis(n, "maxMs", s.max());
        return n;
    }

    private static void millis(ObjectNode n, String field, Optional<Duration> d) {
        d.ifPresent(v -> n.put(field, v.toMillis()));
    }

    private static void ratio(ObjectNode n, String field, Optional<Double> r) {
        r.ifPresent(v -> n.put(field, v));
    }

    private static String name(KpiDimension d) {
        return switch (d) {
            case CHANNEL_TYPE -> "channelType";
            case SLA_POLICY -> "slaPolicy";
            default -> d.name().toLowerCase(Locale.ROOT);
        };
    }

    static KpiQuery query(ApiRequest r, Supplier<LocalDate> today) {
        LocalDate from;
        LocalDate to;
        Optional<String> last = r.queryParam("last").filter(v -> !v.isBlank());
        if (last.isPresent()) {
            if (r.queryParam("from").filter(v -> !v.isBlank()).isPresent()
                    || r.queryParam("to").filter(v -> !v.isBlank()).isPresent()) {
                throw ApiException.badRequest("'last' cannot be combined with 'from' and 'to'");
            }
            int days = lastDays(last.get());
            to = today.get().plusDays(1);
            from = to.minusDays(days);
        } else {
            from = day(r, "from");
            to = day(r, "to");
        }
        List<KpiDimension> dims = new ArrayList<>();
        for (String name : r.queryParam("groupBy").orElse("").split(",")) {
            if (name.isBlank()) {
                continue;
            }
            KpiDimension d = DIMENSIONS.get(name.strip().toLowerCase(Locale.ROOT));
            if (d == null) {
                throw ApiException.badRequest("'groupBy' has an unknown dimension '" + name.strip()
                        + "' (channelType, channel, agent, team, priority, slaPolicy)");
            }
            dims.add(d);
        }
        KpiQuery.Builder b = KpiQuery.builder(from, to).groupBy(dims.toArray(KpiDimension[]::new));
        r.queryParam("period").filter(p -> !p.isBlank()).ifPresent(p -> b.period(enumParam(KpiPeriod.class,
                "period", p)));
        r.queryParam("basis").filter(p -> !p.isBlank()).ifPresent(p -> b.basis(enumParam(TimeBasis.class,
                "basis", p)));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static int lastDays(String value) {
        try {
            int days = Integer.parseInt(value.strip());
            if (days >= 1 && days <= MAX_LAST_DAYS) {
                return days;
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw ApiException.badRequest("'last' must be a number of days from 1 to " + MAX_LAST_DAYS + ", was '"
                + value + "'");
    }

    private static LocalDate day(ApiRequest r, String name) {
        String value = r.queryParam(name).filter(v -> !v.isBlank())
                .orElseThrow(() -> ApiException.badRequest("'" + name + "' is required (a day, yyyy-MM-dd), or 'last'"));
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'" + name + "' must be a day (yyyy-MM-dd), was '" + value + "'");
        }
    }

    private static <E extends Enum<E>> E enumParam(Class<E> type, String name, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'" + name + "' has an unknown value '" + value + "'");
        }
    }
}
