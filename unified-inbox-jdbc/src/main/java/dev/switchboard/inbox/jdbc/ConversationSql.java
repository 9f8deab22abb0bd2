package dev.switchboard.inbox.jdbc;

import java.util.List;

/** The SQL of conversations and their numbered-reply maps: {@code sb_conversation}, {@code sb_choice_map}. */
final class ConversationSql {
    static final List<String> COLUMNS = List.of("tenant", "id", "customer_id", "status", "assignee", "channel",
            "updated_at", "body");

    final String conversationTable;
    final String choiceMapTable;
    final String selectConversation;
    final String insertConversation;
    final String upsertConversation;
    final String upsertChoiceMap;
    final String selectChoiceMap;
    /**
     * A group of customers' conversations with their reply maps (bulk read of inbound events): kind 1, body, the reply
     * map (or null) and 0; its columns are those of {@link CustomerSql#mergeLookup}.
     */
    final Dialect.KeyLookup conversationLookup;
    /** A tenant's conversations by id (the SLA timer's batch): the body. */
    final Dialect.KeyLookup byIdLookup;

    ConversationSql(String prefix, Dialect dialect) {
        conversationTable = prefix + "sb_conversation";
        choiceMapTable = prefix + "sb_choice_map";
        selectConversation = "SELECT body FROM " + conversationTable + " WHERE tenant = ? AND id = ?";
        insertConversation = Dialect.insert(conversationTable, COLUMNS);
        upsertConversation = dialect.upsert(conversationTable, COLUMNS, CustomerSql.TENANT_ID);
        upsertChoiceMap = dialect.upsert(choiceMapTable, List.of("tenant", "conversation_id", "body"),
                List.of("tenant", "conversation_id"));
        selectChoiceMap = "SELECT body FROM " + choiceMapTable + " WHERE tenant = ? AND conversation_id = ?";
        conversationLookup = new Dialect.KeyLookup("1 AS kind, c.body AS body, m.body AS choice_map, 0 AS ord",
                conversationTable + " c",
                "LEFT JOIN " + choiceMapTable + " m ON m.tenant = c.tenant AND m.conversation_id = c.id",
                "c.tenant = ?", List.of("c.customer_id"), "");
        byIdLookup = new Dialect.KeyLookup("c.body AS body", conversationTable + " c", "", "c.tenant = ?",
                List.of("c.id"), "");
    }

    /** Binds tenant, then each customer id. */
    String selectOfCustomers(int customers) {
        return "SELECT body FROM " + conversationTable + " WHERE tenant = ? AND customer_id IN ("
                + Dialect.placeholders(customers) + ") ORDER BY updated_at DESC, id";
    }

    /**
     * One page of a tenant's conversations, newest activity first, filtered as asked; binds tenant, each status,
     * [assignee,] [channel,] [cursor time, cursor time, cursor id,] limit.
     */
    String selectPage(int statuses, boolean byAssignee, boolean byChannel, boolean afterCursor) {
        StringBuilder sql = new StringBuilder("SELECT body, updated_at, id FROM " + conversationTable
                + " WHERE tenant = ?");
        if (statuses > 0) {
            sql.append(" AND status IN (").append(Dialect.placeholders(statuses)).append(')');
        }
        if (byAssignee) {
            sql.append(" AND assignee = ?");
        }
        if (byChannel) {
            sql.append(" AND channel = ?");
        }
        if (afterCursor) {
            sql.append(" AND (updated_at < ? OR (updated_at = ? AND id > ?))");
        }
        return sql.append(" ORDER BY updated_at DESC, id LIMIT ?").toString();
    }
}
