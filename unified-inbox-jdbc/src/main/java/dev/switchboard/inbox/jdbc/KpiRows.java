package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.kpi.KpiFact;
import dev.switchboard.inbox.kpi.KpiOutcome;
import dev.switchboard.inbox.kpi.KpiQuery;
import dev.switchboard.inbox.kpi.KpiTotals;
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
                f.nextResponseBreaches(), f.slaPolicy());
    }

    List<KpiTotals> totals(TenantId tenant, KpiQuery query) {
        Object[] args = {tenant.value(), query.from().toString(), query.to().toString()};
        int groups = KpiSql.groupColumns(query).size();
        int dims = query.groupBy().size();
        List<KpiTotals> rows = jdbc.queryList(sql.totals(query), rs -> totalsRow(rs, groups, dims, query), args);
        if (!sql.windowPercentiles() || rows.isEmpty()) {
            return rows;
        }
        Map<List<String>, long[]> first = percentiles(sql.percentiles(query, KpiSql.firstResponseColumn(query)),
                groups, args);
        Map<List<String>, long[]> resolution = percentiles(sql.percentiles(query, KpiSql.resolutionColumn(query)),
                groups, args);
        List<KpiTotals> out = new ArrayList<>();
        for (KpiTotals t : rows) {
            List<String> key = new ArrayList<>(t.group());
            t.period().ifPresent(key::add);
            out.add(new KpiTotals(t.group(), t.period(), t.conversations(), t.reopened(), t.messagesIn(),
                    t.messagesOut(), t.resolved(), t.folded(), withPercentiles(t.firstResponse(), first.get(key)),
                    withPercentiles(t.resolution(), resolution.get(key)), t.nextResponses(), t.nextResponseSumMs(),
                    t.complaints(), t.ratings(), t.ratingSum(), t.surveyed(), t.surveyedRated(),
                    t.firstResponseSlaCounted(), t.firstResponseSlaBreached(), t.resolutionSlaCounted(),
                    t.resolutionSlaBreached()));
        }
        return out;
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
        return out;
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
        long[] v = new long[27];
        for (int i = 0; i < v.length; i++) {
            v[i] = rs.getLong(c + i); // SUM over no rows is NULL: read as 0
        }
        return new KpiTotals(group, period, v[0], v[1], v[2], v[3], v[4], v[5],
                new KpiTotals.Durations(v[6], v[7], v[8], v[9], v[10]),
                new KpiTotals.Durations(v[11], v[12], v[13], v[14], v[15]), v[16], v[17], v[18], v[19], v[20], v[21],
                v[22], v[23], v[24], v[25], v[26]);
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
                rs.getInt(31) == 1, rs.getInt(32) == 1, rs.getInt(33), rs.getString(34));
    }

    private Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(jdbc.instantOrNull(rs, column));
    }

    private static Optional<Long> optionalLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
