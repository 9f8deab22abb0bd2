package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.kpi.KpiFact;
import dev.switchboard.inbox.kpi.KpiMetric;
import dev.switchboard.inbox.kpi.KpiOutcome;
import dev.switchboard.inbox.kpi.KpiQuery;
import dev.switchboard.inbox.kpi.KpiTotals;
import dev.switchboard.inbox.kpi.KpiWait;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * KPI facts and the projection checkpoint within one transaction, and the SQL aggregation of a KPI summary. The
 * checkpoint row is read {@code FOR UPDATE}, so projectors on several nodes take turns; a schema emptied by hand
 * gets its row back on first use.
 */
final class KpiRows {
    private final JdbcStatements jdbc;
    private final KpiSql sql;

    KpiRows(JdbcStatements jdbc, KpiSql sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    long checkpoint() {
        Optional<Long> seq = jdbc.queryOne(sql.lockCheckpoint, rs -> rs.getLong(1));
        if (seq.isPresent()) {
            return seq.get();
        }
        jdbc.insertIfAbsent(sql.checkpointTable, List.of("id", "seq"), 1, 0L);
        return jdbc.queryOne(sql.lockCheckpoint, rs -> rs.getLong(1)).orElse(0L);
    }

    void saveCheckpoint(long seq) {
        jdbc.update(sql.updateCheckpoint, seq);
    }

    List<KpiFact> ofConversation(TenantId tenant, ConversationId conversation) {
        return jdbc.queryList(sql.selectOfConversation, this::row, tenant.value(), conversation.value());
    }

    List<KpiFact> opened(TenantId tenant, Instant from, Instant to, String afterConversation, int afterCycle,
                         int limit) {
        return jdbc.queryList(sql.selectOpened, this::row, tenant.value(), from, to, afterConversation,
                afterConversation, afterCycle, limit);
    }

    void save(KpiFact f) {
        jdbc.update(sql.upsert, f.tenant().value(), f.conversation().value(), f.cycle(), f.customer(), f.channel(),
                f.channelType(), f.agent(), f.team(), f.priority().name(), f.outcome().name(), f.openedAt(),
                f.openedDay(), f.openedWeek(), f.openedMonth(), f.firstCustomerAt().orElse(null),
                f.awaitingSince().orElse(null), f.firstResponseAt().orElse(null), f.firstResponseMs().orElse(null),
                f.firstResponseBusinessMs().orElse(null), f.resolvedAt().orElse(null), f.resolutionMs().orElse(null),
                f.resolutionBusinessMs().orElse(null), f.messagesIn(), f.messagesOut(), f.nextResponses(),
                f.nextResponseMs(), f.nextResponseBusinessMs(), f.rating().orElse(null), flag(f.surveyed()),
                flag(f.complaint()), flag(f.firstResponseBreached()), flag(f.resolutionBreached()),
                f.nextResponseBreaches(), f.slaPolicy(), flag(f.firstResponseSla()), flag(f.resolutionSla()));
    }

    void saveWait(KpiWait w) {
        jdbc.update(sql.upsertWait, w.tenant().value(), w.conversation().value(), w.cycle(), w.number(),
                w.waitingSince(), w.answeredAt(), w.ms(), w.businessMs(), w.channel(), w.channelType(), w.agent(),
                w.team(), w.priority().name(), w.slaPolicy(), w.openedDay(), w.openedWeek(), w.openedMonth());
    }

    List<KpiWait> waits(TenantId tenant, ConversationId conversation, int cycle) {
        return jdbc.queryList(sql.selectWaits, rs -> new KpiWait(TenantId.of(rs.getString(1)),
                ConversationId.of(rs.getString(2)), rs.getInt(3), rs.getInt(4), jdbc.instant(rs, 5),
                jdbc.instant(rs, 6), rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), Priority.valueOf(rs.getString(13)), rs.getString(14),
                rs.getString(15), rs.getString(16), rs.getString(17)), tenant.value(), conversation.value(), cycle);
    }

    void relabelWaits(KpiFact f) {
        jdbc.update(sql.relabelWaits, f.channel(), f.channelType(), f.agent(), f.team(), f.priority().name(),
                f.slaPolicy(), f.openedDay(), f.openedWeek(), f.openedMonth(), f.tenant().value(),
                f.conversation().value(), f.cycle());
    }

    List<Long> histogram(TenantId tenant, KpiQuery query, KpiMetric metric, List<Long> boundsMs) {
        String table = metric == KpiMetric.NEXT_RESPONSE ? sql.waitTable : sql.factTable;
        String col = switch (metric) {
            case FIRST_RESPONSE -> KpiSql.firstResponseColumn(query);
            case RESOLUTION -> KpiSql.resolutionColumn(query);
            case NEXT_RESPONSE -> KpiSql.waitColumn(query);
        };
        long[] counts = new long[boundsMs.size() + 1];
        jdbc.queryList(KpiSql.histogram(table, col, boundsMs), rs -> counts[rs.getInt(1)] = rs.getLong(2),
                tenant.value(), query.from().toString(), query.to().toString());
        List<Long> out = new ArrayList<>();
        for (long c : counts) {
            out.add(c);
        }
        return out;
    }

    List<KpiTotals> totals(TenantId tenant, KpiQuery query) {
        Object[] args = {tenant.value(), query.from().toString(), query.to().toString()};
        int groups = KpiSql.groupColumns(query).size();
        int dims = query.groupBy().size();
        List<KpiTotals> rows = jdbc.queryList(sql.totals(query), rs -> totalsRow(rs, groups, dims, query), args);
        if (rows.isEmpty()) {
            return rows;
        }
        Map<List<String>, KpiTotals.Durations> waits = new HashMap<>();
        jdbc.queryList(sql.waitTotals(query), rs -> waits.put(key(rs, groups), durations(rs, groups + 1)), args);
        Map<List<String>, long[]> first = Map.of();
        Map<List<String>, long[]> resolution = Map.of();
        Map<List<String>, long[]> next = Map.of();
        if (sql.windowPercentiles()) {
            first = percentiles(sql.percentiles(query, sql.factTable, KpiSql.firstResponseColumn(query)), groups,
                    args);
            resolution = percentiles(sql.percentiles(query, sql.factTable, KpiSql.resolutionColumn(query)), groups,
                    args);
            next = waits.isEmpty() ? Map.of()
                    : percentiles(sql.percentiles(query, sql.waitTable, KpiSql.waitColumn(query)), groups, args);
        }
        List<KpiTotals> out = new ArrayList<>();
        for (KpiTotals t : rows) {
            List<String> key = key(t);
            out.add(new KpiTotals(t.group(), t.period(), t.conversations(), t.reopened(), t.messagesIn(),
                    t.messagesOut(), t.resolved(), t.folded(), withPercentiles(t.firstResponse(), first.get(key)),
                    withPercentiles(t.resolution(), resolution.get(key)),
                    withPercentiles(waits.getOrDefault(key, KpiTotals.Durations.NONE), next.get(key)),
                    t.complaints(), t.ratings(), t.ratingSum(), t.surveyed(), t.surveyedRated(),
                    t.firstResponseSlaCounted(), t.firstResponseSlaBreached(), t.resolutionSlaCounted(),
                    t.resolutionSlaBreached()));
        }
        return out;
    }

    /** A totals row's group values then period: the key waits are matched by. */
    private static List<String> key(KpiTotals t) {
        List<String> key = new ArrayList<>(t.group());
        t.period().ifPresent(key::add);
        return key;
    }

    private static List<String> key(ResultSet rs, int groups) throws SQLException {
        List<String> key = new ArrayList<>();
        for (int i = 1; i <= groups; i++) {
            key.add(rs.getString(i));
        }
        return key;
    }

    private static KpiTotals.Durations durations(ResultSet rs, int c) throws SQLException {
        long count = rs.getLong(c);
        return count == 0 ? KpiTotals.Durations.NONE : new KpiTotals.Durations(count, rs.getLong(c + 1),
                rs.getLong(c + 2), rs.getLong(c + 3), rs.getLong(c + 4));
    }

    List<KpiTotals> overallAndGroups(TenantId tenant, KpiQuery query) {
        if (!sql.groupingSets() || KpiSql.groupColumns(query).isEmpty()) {
            List<KpiTotals> out = new ArrayList<>(totals(tenant, query.totals()));
            if (!KpiSql.groupColumns(query).isEmpty()) {
                out.addAll(totals(tenant, query));
            }
            return out;
        }
        int groups = KpiSql.groupColumns(query).size();
        int dims = query.groupBy().size();
        KpiQuery overall = query.totals();
        List<KpiTotals> out = new ArrayList<>();
        KpiTotals[] total = new KpiTotals[1];
        jdbc.queryList(sql.overallAndGroups(query), rs -> {
            rs.getString(1);
            boolean isTotal = rs.wasNull();
            KpiTotals t = totalsRow(rs, groups, isTotal ? 0 : dims, isTotal ? overall : query);
            if (isTotal) {
                total[0] = t;
            } else {
                out.add(t);
            }
            return t;
        }, tenant.value(), query.from().toString(), query.to().toString());
        out.add(0, total[0] != null ? total[0] : totals(tenant, overall).get(0));
        // the next-response durations of the same groups, from the waits, in one pass as well
        Map<List<String>, KpiTotals.Durations> waits = new HashMap<>();
        KpiTotals.Durations[] overallWaits = {KpiTotals.Durations.NONE};
        jdbc.queryList(sql.waitOverallAndGroups(query), rs -> {
            rs.getString(1);
            if (rs.wasNull()) {
                overallWaits[0] = durations(rs, groups + 1);
            } else {
                waits.put(key(rs, groups), durations(rs, groups + 1));
            }
            return overallWaits;
        }, tenant.value(), query.from().toString(), query.to().toString());
        List<KpiTotals> merged = new ArrayList<>();
        merged.add(out.get(0).withNextResponse(overallWaits[0]));
        for (KpiTotals t : out.subList(1, out.size())) {
            merged.add(t.withNextResponse(waits.getOrDefault(key(t), KpiTotals.Durations.NONE)));
        }
        return merged;
    }

    private Map<List<String>, long[]> percentiles(String query, int groups, Object[] args) {
        Map<List<String>, long[]> out = new HashMap<>();
        jdbc.queryList(query, rs -> {
            List<String> key = new ArrayList<>();
            for (int i = 1; i <= groups; i++) {
                key.add(rs.getString(i));
            }
            out.put(key, new long[] {rs.getLong(groups + 1), rs.getLong(groups + 2)});
            return key;
        }, args);
        return out;
    }

    private static KpiTotals.Durations withPercentiles(KpiTotals.Durations d, long[] p) {
        return d.count() == 0 || p == null ? d : new KpiTotals.Durations(d.count(), d.sumMs(), p[0], p[1], d.maxMs());
    }

    private static KpiTotals totalsRow(ResultSet rs, int groups, int dims, KpiQuery query) throws SQLException {
        List<String> group = new ArrayList<>();
        for (int i = 1; i <= dims; i++) {
            group.add(rs.getString(i));
        }
        Optional<String> period = query.period().isPresent() ? Optional.of(rs.getString(groups))
                : Optional.empty();
        int c = groups + 1;
        long[] v = new long[25];
        for (int i = 0; i < v.length; i++) {
            v[i] = rs.getLong(c + i); // SUM over no rows is NULL: read as 0
        }
        return new KpiTotals(group, period, v[0], v[1], v[2], v[3], v[4], v[5],
                new KpiTotals.Durations(v[6], v[7], v[8], v[9], v[10]),
                new KpiTotals.Durations(v[11], v[12], v[13], v[14], v[15]), KpiTotals.Durations.NONE, v[16], v[17],
                v[18], v[19], v[20], v[21], v[22], v[23], v[24]);
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }

    private KpiFact row(ResultSet rs) throws SQLException {
        return new KpiFact(TenantId.of(rs.getString(1)), ConversationId.of(rs.getString(2)), rs.getInt(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                Priority.valueOf(rs.getString(9)), KpiOutcome.valueOf(rs.getString(10)), jdbc.instant(rs, 11),
                rs.getString(12), rs.getString(13), rs.getString(14), instant(rs, 15), instant(rs, 16),
                instant(rs, 17), optionalLong(rs, 18), optionalLong(rs, 19), instant(rs, 20), optionalLong(rs, 21),
                optionalLong(rs, 22), rs.getInt(23), rs.getInt(24), rs.getInt(25), rs.getLong(26), rs.getLong(27),
                optionalLong(rs, 28).map(Long::intValue), rs.getInt(29) == 1, rs.getInt(30) == 1,
                rs.getInt(31) == 1, rs.getInt(32) == 1, rs.getInt(33), rs.getString(34), rs.getInt(35) == 1,
                rs.getInt(36) == 1);
    }

    private Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(jdbc.instantOrNull(rs, column));
    }

    private static Optional<Long> optionalLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
