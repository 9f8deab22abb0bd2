package dev.switchboard.inbox.jdbc;

import java.util.List;

/** The SQL of the campaign tables ({@code sb_campaign}, {@code sb_campaign_recipient}). */
final class CampaignSql {
    static final String CAMPAIGN_COLUMNS = "tenant, id, purpose, audience, state, created_at, updated_at, body";
    static final List<String> CAMPAIGN_COLUMN_LIST = List.of("tenant", "id", "purpose", "audience", "state",
            "created_at", "updated_at", "body");
    static final String RECIPIENT_COLUMNS = "tenant, campaign_id, customer_id, resolved_customer, status, not_before,"
            + " channel_id, message_id, skip_reason, detail, updated_at";
    static final List<String> RECIPIENT_COLUMN_LIST = List.of("tenant", "campaign_id", "customer_id",
            "resolved_customer", "status", "not_before", "channel_id", "message_id", "skip_reason", "detail",
            "updated_at");

    final String recipientTable;
    final String upsertCampaign;
    final String selectCampaign;
    final String selectCampaignsIn;
    final String selectCampaignsOf;
    final String setPlatformMessage;
    final String selectByPlatformMessage;
    final String forgetPlatformMessages;
    final String selectRecipient;
    final String transitionRecipient;
    final String selectDue;
    final String selectInStatus;
    final String selectInStatusAfter;
    final String selectResolvedTo;
    final String countByStatus;
    final String countBySkipReason;
    final String selectCustomerIds;
    final String selectCustomerIdsAfter;

    CampaignSql(String prefix, Dialect dialect) {
        String campaigns = prefix + "sb_campaign";
        String recipients = prefix + "sb_campaign_recipient";
        String customers = prefix + "sb_customer";
        recipientTable = recipients;
        upsertCampaign = dialect.upsert(campaigns, CAMPAIGN_COLUMN_LIST, List.of("tenant", "id"));
        selectCampaign = "SELECT " + CAMPAIGN_COLUMNS + " FROM " + campaigns + " WHERE tenant = ? AND id = ?";
        selectCampaignsIn = "SELECT " + CAMPAIGN_COLUMNS + " FROM " + campaigns
                + " WHERE state = ? ORDER BY created_at, tenant, id LIMIT ?";
        selectCampaignsOf = "SELECT " + CAMPAIGN_COLUMNS + " FROM " + campaigns
                + " WHERE tenant = ? ORDER BY created_at DESC, id LIMIT ?";
        // V16: the platform's id of a sent campaign message, for delivery receipts
        setPlatformMessage = "UPDATE " + recipients + " SET platform_message_id = ?"
                + " WHERE tenant = ? AND message_id = ?";
        selectByPlatformMessage = "SELECT " + RECIPIENT_COLUMNS + " FROM " + recipients
                + " WHERE tenant = ? AND channel_id = ? AND platform_message_id = ?";
        forgetPlatformMessages = "UPDATE " + recipients + " SET platform_message_id = NULL WHERE tenant = ?"
                + " AND platform_message_id IS NOT NULL AND (customer_id = ? OR resolved_customer = ?)";
        String byKey = " WHERE tenant = ? AND campaign_id = ? AND customer_id = ?";
        selectRecipient = "SELECT " + RECIPIENT_COLUMNS + " FROM " + recipients + byKey;
        transitionRecipient = "UPDATE " + recipients + " SET resolved_customer = ?, status = ?, not_before = ?,"
                + " channel_id = ?, message_id = ?, skip_reason = ?, detail = ?, updated_at = ?" + byKey
                + " AND status = ?";
        selectDue = "SELECT " + RECIPIENT_COLUMNS + " FROM " + recipients + " WHERE tenant = ? AND campaign_id = ?"
                + " AND (status = 'PENDING' OR (status = 'DEFERRED' AND not_before <= ?))"
                + " ORDER BY not_before, customer_id LIMIT ?";
        selectInStatus = "SELECT " + RECIPIENT_COLUMNS + " FROM " + recipients
                + " WHERE tenant = ? AND campaign_id = ? AND status = ? ORDER BY customer_id LIMIT ?";
        selectInStatusAfter = "SELECT " + RECIPIENT_COLUMNS + " FROM " + recipients
                + " WHERE tenant = ? AND campaign_id = ? AND status = ? AND customer_id > ? ORDER BY customer_id"
                + " LIMIT ?";
        selectResolvedTo = "SELECT " + RECIPIENT_COLUMNS + " FROM " + recipients
                + " WHERE tenant = ? AND campaign_id = ? AND resolved_customer = ?";
        countByStatus = "SELECT status, COUNT(*) FROM " + recipients + " WHERE tenant = ? AND campaign_id = ?"
                + " GROUP BY status";
        countBySkipReason = "SELECT skip_reason, COUNT(*) FROM " + recipients
                + " WHERE tenant = ? AND campaign_id = ? AND status = 'SKIPPED' GROUP BY skip_reason";
        selectCustomerIds = "SELECT id FROM " + customers + " WHERE tenant = ? AND merged_into IS NULL ORDER BY id"
                + " LIMIT ?";
        selectCustomerIdsAfter = "SELECT id FROM " + customers + " WHERE tenant = ? AND merged_into IS NULL"
                + " AND id > ? ORDER BY id LIMIT ?";
    }
}
