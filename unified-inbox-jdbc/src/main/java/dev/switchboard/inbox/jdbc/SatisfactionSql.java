package dev.switchboard.inbox.jdbc;

import java.util.List;

/** The SQL of the survey, complaint and canned response tables ({@code sb_survey}, {@code sb_complaint}, {@code sb_canned_response}). */
final class SatisfactionSql {
    static final List<String> SURVEY_COLUMNS = List.of("tenant", "survey_id", "conversation_id", "customer_id",
            "channel_id", "agent_id", "message_id", "sent_at", "answer_until", "rating", "rated_at", "comment_text");
    static final List<String> COMPLAINT_COLUMNS = List.of("tenant", "conversation_id", "marked", "agent_id", "source",
            "changed_at");
    static final List<String> CANNED_COLUMNS = List.of("tenant", "code", "title", "body", "team", "channel_type",
            "attachments");

    final String upsertSurvey;
    final String selectSurvey;
    final String selectSurveysOfCustomer;
    final String selectSurveysOfConversation;
    final String upsertComplaint;
    final String selectComplaint;
    final String upsertCanned;
    final String selectCanned;
    final String selectAllCanned;
    final String deleteCanned;

    SatisfactionSql(String prefix, Dialect dialect) {
        String survey = prefix + "sb_survey";
        String complaint = prefix + "sb_complaint";
        String canned = prefix + "sb_canned_response";
        String surveyColumns = String.join(", ", SURVEY_COLUMNS);
        upsertSurvey = dialect.upsert(survey, SURVEY_COLUMNS, List.of("tenant", "survey_id"));
        selectSurvey = "SELECT " + surveyColumns + " FROM " + survey + " WHERE tenant = ? AND survey_id = ?";
        selectSurveysOfCustomer = "SELECT " + surveyColumns + " FROM " + survey
                + " WHERE tenant = ? AND customer_id = ? ORDER BY sent_at DESC, survey_id LIMIT ?";
        selectSurveysOfConversation = "SELECT " + surveyColumns + " FROM " + survey
                + " WHERE tenant = ? AND conversation_id = ? ORDER BY sent_at, survey_id";
        upsertComplaint = dialect.upsert(complaint, COMPLAINT_COLUMNS, List.of("tenant", "conversation_id"));
        selectComplaint = "SELECT " + String.join(", ", COMPLAINT_COLUMNS) + " FROM " + complaint
                + " WHERE tenant = ? AND conversation_id = ?";
        upsertCanned = dialect.upsert(canned, CANNED_COLUMNS, List.of("tenant", "code"));
        selectCanned = "SELECT " + String.join(", ", CANNED_COLUMNS) + " FROM " + canned
                + " WHERE tenant = ? AND code = ?";
        selectAllCanned = "SELECT " + String.join(", ", CANNED_COLUMNS) + " FROM " + canned
                + " WHERE tenant = ? ORDER BY code";
        deleteCanned = "DELETE FROM " + canned + " WHERE tenant = ? AND code = ?";
    }
}
