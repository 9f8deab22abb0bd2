package dev.switchboard.inbox.jdbc;

import dev.switchboard.channel.state.LogEntry;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Channel state within one transaction. A record or log head read as absent is inserted (a node inserting the same
 * key meanwhile fails this transaction on the key, and the store runs it again, now finding and locking that row);
 * one read as present was locked by the read and is updated.
 */
final class ChannelStateRows {
    private final JdbcStatements jdbc;
    private final ChannelStateSql sql;
    /** Records read as absent in this transaction: saving one inserts, so a racing node's insert conflicts. */
    private final Set<List<String>> absent = new HashSet<>();

    ChannelStateRows(JdbcStatements jdbc, ChannelStateSql sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    Optional<StateRecord> record(TenantId tenant, ChannelId channel, String key) {
        Optional<StateRecord> r = jdbc.queryOne(sql.selectRecordForUpdate, rs -> new StateRecord(key,
                rs.getString(3), rs.getLong(1), Optional.ofNullable(jdbc.instantOrNull(rs, 2))), tenant.value(),
                channel.value(), key);
        if (r.isEmpty()) {
            absent.add(List.of(tenant.value(), channel.value(), key));
        }
        return r;
    }

    void save(TenantId tenant, ChannelId channel, StateRecord r) {
        Instant expires = r.expiresAt().orElse(null);
        boolean readAsAbsent = absent.remove(List.of(tenant.value(), channel.value(), r.key()));
        if (readAsAbsent || jdbc.update(sql.updateRecord, r.version(), expires, r.value(), tenant.value(),
                channel.value(), r.key()) == 0) {
            jdbc.update(sql.insertRecord, tenant.value(), channel.value(), r.key(), r.version(), expires, r.value());
        }
    }

    boolean delete(TenantId tenant, ChannelId channel, String key) {
        absent.add(List.of(tenant.value(), channel.value(), key));
        return jdbc.update(sql.deleteRecord, tenant.value(), channel.value(), key) > 0;
    }

    int pruneExpired(Instant now, int limit) {
        return jdbc.update(sql.pruneExpired, now, limit);
    }

    long lastSeq(TenantId tenant, ChannelId channel, String log) {
        return jdbc.queryOne(sql.selectHead, rs -> rs.getLong(1), tenant.value(), channel.value(), log).orElse(0L);
    }

    LogEntry append(TenantId tenant, ChannelId channel, String log, LongFunction<String> valueOfSeq, Instant at) {
        Optional<Long> last = jdbc.queryOne(sql.selectHeadForUpdate, rs -> rs.getLong(1), tenant.value(),
                channel.value(), log);
        long seq = last.orElse(0L) + 1;
        if (last.isEmpty()) {
            jdbc.update(sql.insertHead, tenant.value(), channel.value(), log, seq);
        } else {
            jdbc.update(sql.updateHead, seq, tenant.value(), channel.value(), log);
        }
        String value = valueOfSeq.apply(seq);
        jdbc.update(sql.insertEntry, tenant.value(), channel.value(), log, seq, at, value);
        if (sql.notifyAppend.isPresent()) {
            jdbc.queryOne(sql.notifyAppend.get(), rs -> Boolean.TRUE,
                    PgLogListener.payload(sql.scope, tenant, channel, log));
        }
        return new LogEntry(seq, value, at);
    }

    List<LogEntry> read(TenantId tenant, ChannelId channel, String log, long afterSeq, int limit) {
        return jdbc.queryList(sql.selectEntries, rs -> new LogEntry(rs.getLong(1), rs.getString(3),
                jdbc.instant(rs, 2)), tenant.value(), channel.value(), log, afterSeq, limit);
    }
}
