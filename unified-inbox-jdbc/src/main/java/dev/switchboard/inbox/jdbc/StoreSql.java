package dev.switchboard.inbox.jdbc;

/**
 * The SQL of one store, built once from its table prefix and dialect: one holder per table group, so a reader finds
 * every statement of a table next to the others.
 */
record StoreSql(CustomerSql customers, ConversationSql conversations, MessageSql messages, InboxTableSql inbox,
        ChannelStateSql channelState, RoutingSql routing, SlaSql sla, ConsentSql consent,
        CampaignSql campaigns, SatisfactionSql satisfaction, KpiSql kpi, PrivacySql privacy) {
    /** The tables the bulk reads of a group of inbound events read ({@link IngestPrefetch}). */
    java.util.List<String> ingestLookupTables() {
        return java.util.List.of(inbox.processedTable, messages.messageTable, customers.accountTable,
                customers.customerTable, customers.mergeTable, conversations.conversationTable,
                conversations.choiceMapTable);
    }

    static StoreSql of(String tablePrefix, Dialect dialect) {
        return new StoreSql(new CustomerSql(tablePrefix, dialect), new ConversationSql(tablePrefix, dialect),
                new MessageSql(tablePrefix, dialect), new InboxTableSql(tablePrefix, dialect),
                new ChannelStateSql(tablePrefix, dialect), new RoutingSql(tablePrefix, dialect),
                new SlaSql(tablePrefix, dialect), new ConsentSql(tablePrefix, dialect),
                new CampaignSql(tablePrefix, dialect), new SatisfactionSql(tablePrefix, dialect),
                new KpiSql(tablePrefix, dialect), new PrivacySql(tablePrefix, dialect));
    }
}
