package dev.switchboard.inbox.jdbc;

import java.util.List;

/**
 * The SQL of customers and identity: {@code sb_customer}, {@code sb_account}, {@code sb_contact},
 * {@code sb_name_key}, {@code sb_merge}, {@code sb_suggestion}, {@code sb_distinct}, {@code sb_ambiguous_contact}.
 */
final class CustomerSql {
    static final List<String> CUSTOMER_COLUMNS = List.of("tenant", "id", "merged_into", "updated_at", "body");
    static final List<String> TENANT_ID = List.of("tenant", "id");

    final String customerTable;
    final String accountTable;
    final String contactTable;
    final String nameKeyTable;
    final String distinctTable;
    final String ambiguousContactTable;
    final String mergeTable;

    final String selectCustomer;
    final String upsertCustomer;
    final String insertCustomer;
    final String deleteAccount;
    final String insertAccount;
    final String reassignAccount;
    final String selectAccountOwner;
    final String deleteContacts;
    final String insertContact;
    final String selectLiveCustomersByContact;
    final String deleteNameKeys;
    final String insertNameKey;
    final String selectCustomersByNameKey;
    final String selectNameKeyCandidates;
    final String upsertMerge;
    final String selectMerge;
    final String selectMergesOf;
    final String upsertSuggestion;
    final String selectSuggestion;
    final String selectSuggestionsOf;
    final String selectOpenSuggestions;
    final String selectDistinct;
    final String selectAmbiguous;
    /**
     * Bulk reads of a group of inbound events. The merge log of a group's customers: kind 0, body, an empty third
     * column and the log order; its columns are those of {@link ConversationSql#conversationLookup}, so the two run as
     * one statement.
     */
    final Dialect.KeyLookup mergeLookup;
    final Dialect.KeyLookup ownerLookup;
    final Dialect.KeyLookup customerLookup;

    CustomerSql(String prefix, Dialect dialect) {
        customerTable = prefix + "sb_customer";
        accountTable = prefix + "sb_account";
        contactTable = prefix + "sb_contact";
        nameKeyTable = prefix + "sb_name_key";
        distinctTable = prefix + "sb_distinct";
        ambiguousContactTable = prefix + "sb_ambiguous_contact";
        mergeTable = prefix + "sb_merge";
        String suggestionTable = prefix + "sb_suggestion";

        selectCustomer = "SELECT body FROM " + customerTable + " WHERE tenant = ? AND id = ?";
        upsertCustomer = dialect.upsert(customerTable, CUSTOMER_COLUMNS, TENANT_ID);
        insertCustomer = Dialect.insert(customerTable, CUSTOMER_COLUMNS);
        deleteAccount = "DELETE FROM " + accountTable + " WHERE tenant = ? AND channel = ? AND platform_user_id = ?";
        insertAccount = Dialect.insert(accountTable, List.of("tenant", "channel", "platform_user_id", "customer_id"));
        reassignAccount = "UPDATE " + accountTable + " SET customer_id = ? WHERE tenant = ? AND channel = ?"
                + " AND platform_user_id = ?";
        selectAccountOwner = "SELECT customer_id FROM " + accountTable
                + " WHERE tenant = ? AND channel = ? AND platform_user_id = ?";
        deleteContacts = "DELETE FROM " + contactTable + " WHERE tenant = ? AND customer_id = ?";
        insertContact = Dialect.insert(contactTable, List.of("tenant", "kind", "point", "customer_id"));
        selectLiveCustomersByContact = "SELECT k.customer_id FROM " + contactTable + " k JOIN " + customerTable
                + " c ON c.tenant = k.tenant AND c.id = k.customer_id"
                + " WHERE k.tenant = ? AND k.kind = ? AND k.point = ? AND c.merged_into IS NULL"
                + " ORDER BY k.customer_id LIMIT ?";
        deleteNameKeys = "DELETE FROM " + nameKeyTable + " WHERE tenant = ? AND customer_id = ?";
        insertNameKey = Dialect.insert(nameKeyTable, List.of("tenant", "name_key", "customer_id"));
        selectCustomersByNameKey = "SELECT customer_id FROM " + nameKeyTable
                + " WHERE tenant = ? AND name_key = ? ORDER BY customer_id";
        selectNameKeyCandidates = "SELECT c.body FROM " + nameKeyTable + " k JOIN " + customerTable
                + " c ON c.tenant = k.tenant AND c.id = k.customer_id"
                + " WHERE k.tenant = ? AND k.name_key = ? ORDER BY k.customer_id";
        upsertMerge = dialect.upsert(mergeTable, List.of("tenant", "id", "survivor", "absorbed", "merged_at", "body"),
                TENANT_ID);
        selectMerge = "SELECT body FROM " + mergeTable + " WHERE tenant = ? AND id = ?";
        selectMergesOf = "SELECT body FROM " + mergeTable + " WHERE tenant = ? AND (survivor = ? OR absorbed = ?)"
                + " ORDER BY ord";
        upsertSuggestion = dialect.upsert(suggestionTable, List.of("tenant", "id", "first_id", "second_id", "status",
                "score", "created_at", "body"), TENANT_ID);
        selectSuggestion = "SELECT body FROM " + suggestionTable + " WHERE tenant = ? AND id = ?";
        selectSuggestionsOf = "SELECT body FROM " + suggestionTable
                + " WHERE tenant = ? AND (first_id = ? OR second_id = ?) ORDER BY created_at DESC, id";
        selectOpenSuggestions = "SELECT body FROM " + suggestionTable + " WHERE tenant = ? AND status = 'OPEN'"
                + " ORDER BY score DESC, created_at, id LIMIT ?";
        selectDistinct = "SELECT 1 FROM " + distinctTable + " WHERE tenant = ? AND a = ? AND b = ?";
        selectAmbiguous = "SELECT 1 FROM " + ambiguousContactTable + " WHERE tenant = ? AND kind = ? AND point = ?";
        mergeLookup = new Dialect.KeyLookup("0 AS kind, m.body AS body, '' AS choice_map, m.ord AS ord",
                mergeTable + " m", "", "m.tenant = ?",
                List.of("m.survivor", "m.absorbed"), "");
        ownerLookup = new Dialect.KeyLookup("a.platform_user_id, a.customer_id, (SELECT c.body FROM " + customerTable
                + " c WHERE c.tenant = a.tenant AND c.id = a.customer_id) AS body", accountTable + " a", "",
                "a.tenant = ? AND a.channel = ?", List.of("a.platform_user_id"), "");
        customerLookup = new Dialect.KeyLookup("c.id, c.body", customerTable + " c", "", "c.tenant = ?",
                List.of("c.id"), "");
    }

    /**
     * Current owners of the wanted accounts plus whatever is indexed to this customer now, in one query; binds tenant,
     * customer, then channel and platform user of each wanted account.
     */
    String selectAccountsToReindex(int wantedAccounts) {
        StringBuilder sql = new StringBuilder("SELECT a.channel, a.platform_user_id, a.customer_id, o.id, o.merged_into"
                + " FROM " + accountTable + " a LEFT JOIN " + customerTable
                + " o ON o.tenant = a.tenant AND o.id = a.customer_id WHERE a.tenant = ? AND (a.customer_id = ?");
        for (int i = 0; i < wantedAccounts; i++) {
            sql.append(" OR (a.channel = ? AND a.platform_user_id = ?)");
        }
        return sql.append(')').toString();
    }
}
