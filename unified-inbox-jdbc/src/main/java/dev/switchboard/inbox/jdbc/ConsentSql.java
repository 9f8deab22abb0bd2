package dev.switchboard.inbox.jdbc;

/** The SQL of the consent ledger table ({@code sb_consent_entry}); rows are only ever inserted. */
final class ConsentSql {
    static final String COLUMNS = "tenant, entry_id, customer_id, account_channel, account_user, purpose,"
            + " channel_type, granted, recorded_at, source, evidence_kind, evidence_ref, evidence_text_version";

    final String insert;
    final String selectOfCustomer;
    final String selectOfAccount;

    ConsentSql(String prefix, Dialect dialect) {
        String table = prefix + "sb_consent_entry";
        insert = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        selectOfCustomer = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant = ? AND customer_id = ?"
                + " ORDER BY recorded_at, entry_id";
        selectOfAccount = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant = ? AND account_channel = ?"
                + " AND account_user = ? ORDER BY recorded_at, entry_id";
    }
}
