package dev.switchboard.inbox.jdbc;

import java.util.List;

/**
 * The SQL of the inbox's own tables: dedupe ({@code sb_processed_event}), the outbox, the event feed and its counter,
 * quarantine and send pacing.
 */
final class InboxTableSql {
    static final String OUTBOX_COLUMNS = "id, tenant, status, attempts, next_attempt_at, last_error, lease_owner,"
            + " lease_until, created_at, updated_at, message";
    static final List<String> PROCESSED_COLUMNS = List.of("tenant", "channel", "event_id", "processed_at");

    final String processedTable;
    final String outboxTable;
    final String counterTable;
    final String insertProcessed;
    final String pruneProcessed;
    final String insertOutbox;
    final String updateOutbox;
    final String updateOutboxMessage;
    final String selectOutbox;
    final String countPendingOutbox;
    final String oldestPendingOutbox;
    final String insertEvent;
    final String lastEventSeq;
    final String insertQuarantine;
    final String selectQuarantined;
    final String selectPaceMarkForUpdate;
    final String insertPaceMark;
    final String upsertPaceMark;
    final String prunePaceMarks;
    private final String eventTable;
    /**
     * Which of a group's event ids are processed already (bulk read of inbound events): kind 0, the event id. Its
     * columns are those of {@link MessageSql#platformIdLookup}, so the two run as one statement.
     */
    final Dialect.KeyLookup processedLookup;

    InboxTableSql(String prefix, Dialect dialect) {
        processedTable = prefix + "sb_processed_event";
        outboxTable = prefix + "sb_outbox";
        counterTable = prefix + "sb_event_counter";
        eventTable = prefix + "sb_event";
        String quarantineTable = prefix + "sb_quarantine";
        String paceTable = prefix + "sb_send_pace";

        insertProcessed = Dialect.insert(processedTable, PROCESSED_COLUMNS);
        pruneProcessed = dialect.pruneProcessed(processedTable);
        insertOutbox = "INSERT INTO " + outboxTable + " (" + OUTBOX_COLUMNS + ") VALUES (" + Dialect.placeholders(11)
                + ")";
        updateOutbox = "UPDATE " + outboxTable + " SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?,"
                + " lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?";
        updateOutboxMessage = "UPDATE " + outboxTable + " SET message = ? WHERE id = ?";
        selectOutbox = "SELECT " + OUTBOX_COLUMNS + " FROM " + outboxTable + " WHERE id = ?";
        countPendingOutbox = "SELECT COUNT(*) FROM " + outboxTable + " WHERE status = 'PENDING'";
        oldestPendingOutbox = "SELECT MIN(created_at) FROM " + outboxTable + " WHERE status = 'PENDING'";
        insertEvent = Dialect.insert(eventTable, List.of("seq", "tenant", "type", "conversation_id", "message_id",
                "customer_id", "attributes", "occurred_at"));
        lastEventSeq = "SELECT COALESCE(MAX(seq), 0) FROM " + eventTable;
        insertQuarantine = Dialect.insert(quarantineTable, List.of("tenant", "channel", "platform_event_id", "raw",
                "reason", "received_at"));
        selectQuarantined = "SELECT id, channel, platform_event_id, raw, reason, received_at FROM " + quarantineTable
                + " WHERE tenant = ? ORDER BY id DESC LIMIT ?";
        selectPaceMarkForUpdate = "SELECT mark FROM " + paceTable + " WHERE pace_key = ? FOR UPDATE";
        insertPaceMark = Dialect.insert(paceTable, List.of("pace_key", "mark"));
        upsertPaceMark = dialect.upsert(paceTable, List.of("pace_key", "mark"), List.of("pace_key"));
        prunePaceMarks = "DELETE FROM " + paceTable + " WHERE mark < ?";
        processedLookup = new Dialect.KeyLookup("0 AS kind, e.event_id AS k, '' AS body, 0 AS ord", processedTable
                + " e", "",
                "e.tenant = ? AND e.channel = ?", List.of("e.event_id"), "");
    }

    /** The feed after a sequence number, optionally of one tenant; binds afterSeq, [tenant,] limit. */
    String selectEvents(boolean oneTenant) {
        return "SELECT seq, tenant, type, conversation_id, message_id, customer_id, attributes, occurred_at FROM "
                + eventTable + " WHERE seq > ?" + (oneTenant ? " AND tenant = ?" : "") + " ORDER BY seq LIMIT ?";
    }
}
