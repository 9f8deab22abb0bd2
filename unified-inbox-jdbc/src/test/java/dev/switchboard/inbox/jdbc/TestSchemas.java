package dev.switchboard.inbox.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/** Empties the store's tables between tests so one migrated schema serves a whole test class. */
final class TestSchemas {
    static final List<String> TABLES = List.of("sb_customer", "sb_account", "sb_contact", "sb_name_key", "sb_merge",
            "sb_suggestion", "sb_distinct", "sb_ambiguous_contact", "sb_conversation", "sb_message",
            "sb_processed_event", "sb_outbox", "sb_event", "sb_quarantine", "sb_choice_map", "sb_lease", "sb_send_pace",
            "sb_channel_state", "sb_channel_log", "sb_channel_log_head",
            "sb_agent", "sb_assignment", "sb_route_queue", "sb_sla_deadline", "sb_consent_entry",
            "sb_campaign", "sb_campaign_recipient", "sb_survey", "sb_complaint", "sb_canned_response",
            "sb_kpi_fact", "sb_kpi_checkpoint", "sb_kpi_wait", "sb_erasure");

    private TestSchemas() {}

    static void truncateAll(DataSource dataSource, String schema) throws SQLException {
        String prefix = "\"" + schema + "\".";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String table : TABLES) {
                s.execute("TRUNCATE TABLE " + prefix + table + " RESTART IDENTITY");
            }
            s.execute("UPDATE " + prefix + "sb_event_counter SET seq = 0");
        }
    }

    /** The same on MariaDB/MySQL, where TRUNCATE restarts AUTO_INCREMENT by itself. */
    static void truncateAllMariaDb(DataSource dataSource, String schema) throws SQLException {
        String prefix = "`" + schema + "`.";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String table : TABLES) {
                s.execute("TRUNCATE TABLE " + prefix + table);
            }
            s.execute("UPDATE " + prefix + "sb_event_counter SET seq = 0");
        }
    }
}
