package dev.switchboard.inbox.jdbc;

import java.util.List;

/** The SQL of the SLA deadlines table ({@code sb_sla_deadline}). */
final class SlaSql {
    static final String COLUMNS = "tenant, conversation_id, kind, policy, state, started_at, due_at, warn_at,"
            + " paused_at";
    static final List<String> COLUMN_LIST = List.of("tenant", "conversation_id", "kind", "policy", "state",
            "started_at", "due_at", "warn_at", "paused_at", "next_fire_at");

    final String table;
    final String upsert;
    final String selectOfConversation;
    final String selectInStates;
    final String selectDue;
    final String selectNextFire;
    final String transition;

    SlaSql(String prefix, Dialect dialect) {
        table = prefix + "sb_sla_deadline";
        upsert = dialect.upsert(table, COLUMN_LIST, List.of("tenant", "conversation_id", "kind"));
        selectOfConversation = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant = ? AND conversation_id = ?";
        // states are bound as a fixed list of up to six placeholders (unused ones repeat the first)
        selectInStates = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant = ? AND state IN (?, ?, ?, ?, ?, ?)"
                + " ORDER BY due_at, conversation_id, kind LIMIT ?";
        selectDue = dialect.lockDueSlaDeadlines("SELECT " + COLUMNS + " FROM " + table
                + " WHERE next_fire_at <= ? ORDER BY next_fire_at, conversation_id, kind LIMIT ?");
        selectNextFire = "SELECT MIN(next_fire_at) FROM " + table;
        // the row must still be exactly the one read: a transition computed from a stale read whose state and due
        // time happen to match again (another policy, a pause, a moved start) must not apply
        transition = "UPDATE " + table + " SET policy = ?, state = ?, started_at = ?, due_at = ?, warn_at = ?,"
                + " paused_at = ?, next_fire_at = ? WHERE tenant = ? AND conversation_id = ? AND kind = ?"
                + " AND state = ? AND due_at = ? AND policy = ? AND started_at = ? AND "
                + dialect.nullSafeEquals("warn_at") + " AND " + dialect.nullSafeEquals("paused_at");
    }
}
