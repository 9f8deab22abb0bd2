package dev.switchboard.inbox.jdbc;

import java.util.List;

/** The SQL of messages: {@code sb_message}. */
final class MessageSql {
    static final List<String> COLUMNS = List.of("tenant", "id", "conversation_id", "customer_id", "channel",
            "direction", "platform_message_id", "body");

    final String messageTable;
    final String insertMessage;
    /** An insert that reports 0 rows (or a duplicate-key failure the caller ignores) when the id or platform id exists. */
    final String insertMessageIfAbsent;
    final String upsertMessage;
    final String updateMessage;
    final String selectMessage;
    final String selectFirstByPlatformId;
    final String selectOfConversation;
    /**
     * The stored holders of a group's platform ids (bulk read of inbound events): kind 1, platform id, body and stored
     * order (the first holder has the lowest). Its columns are those of {@link InboxTableSql#processedLookup}.
     */
    final Dialect.KeyLookup platformIdLookup;

    MessageSql(String prefix, Dialect dialect) {
        messageTable = prefix + "sb_message";
        insertMessage = Dialect.insert(messageTable, COLUMNS);
        insertMessageIfAbsent = dialect.insertIfAbsent(messageTable, COLUMNS);
        upsertMessage = dialect.upsert(messageTable, COLUMNS, CustomerSql.TENANT_ID);
        updateMessage = "UPDATE " + messageTable + " SET conversation_id = ?, customer_id = ?, channel = ?,"
                + " direction = ?, platform_message_id = ?, body = ? WHERE tenant = ? AND id = ?";
        selectMessage = "SELECT body FROM " + messageTable + " WHERE tenant = ? AND id = ?";
        selectFirstByPlatformId = "SELECT body FROM " + messageTable
                + " WHERE tenant = ? AND channel = ? AND platform_message_id = ? ORDER BY ord LIMIT 1";
        selectOfConversation = "SELECT body FROM " + messageTable + " WHERE tenant = ? AND conversation_id = ?"
                + " ORDER BY ord";
        platformIdLookup = new Dialect.KeyLookup("1 AS kind, m.platform_message_id AS k, m.body AS body, m.ord AS ord",
                messageTable + " m", "", "m.tenant = ? AND m.channel = ?", List.of("m.platform_message_id"), "");
    }

    /** Binds tenant, each customer id, the cursor's ord and the limit. */
    String selectTimeline(int customers) {
        return "SELECT body, ord FROM " + messageTable + " WHERE tenant = ? AND customer_id IN ("
                + Dialect.placeholders(customers) + ") AND ord > ? ORDER BY ord LIMIT ?";
    }
}
