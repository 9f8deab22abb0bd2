package dev.switchboard.inbox.jdbc;

import java.util.Collections;
import java.util.List;

/**
 * The SQL of erasure: the erasure records table ({@code sb_erasure}) and the bulk deletes and updates one erasure runs
 * on the other tables. Statements over a list of ids are built per list length ({@link #in(int)}).
 */
final class PrivacySql {
    static final List<String> COLUMNS = List.of("tenant", "customer_id", "requested_at", "completed_at", "actor",
            "customers", "messages", "media_deleted", "media_kept");
    private static final String COLUMN_LIST = String.join(", ", COLUMNS);

    final String upsert;
    final String select;
    final String selectUnfinished;
    final String message;
    final String outbox;
    final String conversation;
    final String choiceMap;
    final String assignment;
    final String queue;
    final String sla;
    final String event;
    final String channelState;
    final String channelLog;
    final String channelLogHead;
    final String sendPace;
    final String quarantine;
    final String ambiguous;
    final String survey;
    final String complaint;
    final String consentEntry;

    PrivacySql(String prefix, Dialect dialect) {
        String table = prefix + "sb_erasure";
        upsert = dialect.upsert(table, COLUMNS, List.of("tenant", "customer_id"));
        select = "SELECT " + COLUMN_LIST + " FROM " + table + " WHERE tenant = ? AND customer_id = ?";
        selectUnfinished = "SELECT " + COLUMN_LIST + " FROM " + table
                + " WHERE completed_at IS NULL ORDER BY requested_at LIMIT ?";
        message = prefix + "sb_message";
        outbox = prefix + "sb_outbox";
        conversation = prefix + "sb_conversation";
        choiceMap = prefix + "sb_choice_map";
        assignment = prefix + "sb_assignment";
        queue = prefix + "sb_route_queue";
        sla = prefix + "sb_sla_deadline";
        event = prefix + "sb_event";
        channelState = prefix + "sb_channel_state";
        channelLog = prefix + "sb_channel_log";
        channelLogHead = prefix + "sb_channel_log_head";
        sendPace = prefix + "sb_send_pace";
        quarantine = prefix + "sb_quarantine";
        ambiguous = prefix + "sb_ambiguous_contact";
        survey = prefix + "sb_survey";
        complaint = prefix + "sb_complaint";
        consentEntry = prefix + "sb_consent_entry";
    }

    /** {@code DELETE FROM table WHERE tenant = ? AND column IN (?, ...)} for {@code n} ids. */
    static String deleteIn(String table, String column, int n) {
        return "DELETE FROM " + table + " WHERE tenant = ? AND " + column + " IN " + in(n);
    }

    /** The ids of the outbound messages whose {@code column} is one of {@code n} ids. */
    String selectOutboundIds(String column, int n) {
        return "SELECT id FROM " + message + " WHERE tenant = ? AND direction = 'OUTBOUND' AND " + column + " IN "
                + in(n);
    }

    /**
     * Empties the attributes of the feed's events whose {@code column} is one of {@code n} ids, skipping those already
     * empty: an event found by its customer and again by its conversation is written once, and a resumed erasure
     * rewrites nothing ({@code LENGTH}, as a large object is not comparable in every dialect).
     */
    String scrubEvents(String column, int n) {
        return "UPDATE " + event + " SET attributes = '{}' WHERE tenant = ? AND " + column + " IN " + in(n)
                + " AND LENGTH(attributes) > 2";
    }

    String deleteChannelState() {
        return "DELETE FROM " + channelState + " WHERE tenant = ? AND channel = ? AND (state_key = ?"
                + " OR state_key LIKE ? ESCAPE '!' OR body LIKE ? ESCAPE '!')";
    }

    String deleteChannelLog(String table) {
        return "DELETE FROM " + table + " WHERE tenant = ? AND channel = ? AND (log_name = ?"
                + " OR log_name LIKE ? ESCAPE '!')";
    }

    static String in(int n) {
        return "(" + String.join(", ", Collections.nCopies(n, "?")) + ")";
    }
}
