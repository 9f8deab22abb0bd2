package dev.switchboard.inbox.jdbc;

import java.util.List;

/** The SQL of channel state: records ({@code sb_channel_state}), logs ({@code sb_channel_log}) and their heads. */
final class ChannelStateSql {
    static final List<String> STATE_COLUMNS = List.of("tenant", "channel", "state_key", "version", "expires_at",
            "body");

    final String selectRecordForUpdate;
    final String insertRecord;
    final String updateRecord;
    final String deleteRecord;
    final String pruneExpired;
    final String selectHeadForUpdate;
    final String selectHead;
    final String insertHead;
    final String updateHead;
    final String insertEntry;
    final String selectEntries;
    /** Scopes notification payloads to this store's tables (the table prefix). */
    final String scope;
    /** PostgreSQL only: tells listening nodes of an append, delivered when the transaction commits. */
    final java.util.Optional<String> notifyAppend;

    ChannelStateSql(String prefix, Dialect dialect) {
        String state = prefix + "sb_channel_state";
        String log = prefix + "sb_channel_log";
        String head = prefix + "sb_channel_log_head";
        String key = " WHERE tenant = ? AND channel = ? AND state_key = ?";
        selectRecordForUpdate = "SELECT version, expires_at, body FROM " + state + key + " FOR UPDATE";
        insertRecord = Dialect.insert(state, STATE_COLUMNS);
        updateRecord = "UPDATE " + state + " SET version = ?, expires_at = ?, body = ?" + key;
        deleteRecord = "DELETE FROM " + state + key;
        pruneExpired = dialect.pruneExpiredState(state);
        String logKey = " WHERE tenant = ? AND channel = ? AND log_name = ?";
        selectHeadForUpdate = "SELECT last_seq FROM " + head + logKey + " FOR UPDATE";
        selectHead = "SELECT last_seq FROM " + head + logKey;
        insertHead = Dialect.insert(head, List.of("tenant", "channel", "log_name", "last_seq"));
        updateHead = "UPDATE " + head + " SET last_seq = ?" + logKey;
        insertEntry = Dialect.insert(log, List.of("tenant", "channel", "log_name", "seq", "appended_at", "body"));
        scope = prefix;
        notifyAppend = dialect instanceof PostgresDialect
                ? java.util.Optional.of("SELECT pg_notify('" + PgLogListener.CHANNEL + "', ?)")
                : java.util.Optional.empty();
        selectEntries = "SELECT seq, appended_at, body FROM " + log + logKey + " AND seq > ? ORDER BY seq LIMIT ?";
    }
}
