package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.canned.CannedResponse;
import dev.switchboard.inbox.survey.Complaint;
import dev.switchboard.inbox.survey.ComplaintSource;
import dev.switchboard.inbox.survey.Survey;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Surveys, complaint marks and canned responses within one transaction: plain upserts and reads by key (a survey's
 * rating is written by the transaction that stores the answer, which reads the survey first; two answers to one
 * survey racing on two nodes both write the row, and the later commit's rating is kept).
 */
final class SatisfactionRows {
    private final JdbcStatements jdbc;
    private final SatisfactionSql sql;

    SatisfactionRows(JdbcStatements jdbc, SatisfactionSql sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    void saveSurvey(Survey s) {
        jdbc.update(sql.upsertSurvey, s.tenant().value(), s.id(), s.conversation().value(), s.customer().value(),
                s.channel().value(), s.agent().orElse(null), s.message().value(), s.sentAt(), s.answerUntil(),
                s.rating().orElse(null), s.ratedAt().orElse(null), s.comment().orElse(null));
    }

    Optional<Survey> survey(TenantId tenant, String id) {
        return jdbc.queryOne(sql.selectSurvey, this::survey, tenant.value(), id);
    }

    List<Survey> surveysOfCustomer(TenantId tenant, CustomerId customer, int limit) {
        return jdbc.queryList(sql.selectSurveysOfCustomer, this::survey, tenant.value(), customer.value(), limit);
    }

    List<Survey> surveysOfConversation(TenantId tenant, ConversationId conversation) {
        return jdbc.queryList(sql.selectSurveysOfConversation, this::survey, tenant.value(), conversation.value());
    }

    void saveComplaint(Complaint c) {
        jdbc.update(sql.upsertComplaint, c.tenant().value(), c.conversation().value(), c.marked() ? 1 : 0,
                c.agent().orElse(null), c.source().value(), c.at());
    }

    Optional<Complaint> complaint(TenantId tenant, ConversationId conversation) {
        return jdbc.queryOne(sql.selectComplaint, rs -> new Complaint(TenantId.of(rs.getString(1)),
                ConversationId.of(rs.getString(2)), rs.getInt(3) == 1, Optional.ofNullable(rs.getString(4)),
                ComplaintSource.of(rs.getString(5)), jdbc.instant(rs, 6)), tenant.value(), conversation.value());
    }

    void saveCanned(CannedResponse r) {
        jdbc.update(sql.upsertCanned, r.tenant().value(), r.code(), r.title(), r.body(), r.team().orElse(null),
                r.channelType().map(ChannelType::value).orElse(null), attachments(r.attachments()));
    }

    Optional<CannedResponse> canned(TenantId tenant, String code) {
        return jdbc.queryOne(sql.selectCanned, this::canned, tenant.value(), code);
    }

    List<CannedResponse> allCanned(TenantId tenant) {
        return jdbc.queryList(sql.selectAllCanned, this::canned, tenant.value());
    }

    boolean deleteCanned(TenantId tenant, String code) {
        return jdbc.update(sql.deleteCanned, tenant.value(), code) == 1;
    }

    private Survey survey(ResultSet rs) throws SQLException {
        int rating = rs.getInt(10);
        Optional<Integer> r = rs.wasNull() ? Optional.empty() : Optional.of(rating);
        return new Survey(TenantId.of(rs.getString(1)), rs.getString(2), ConversationId.of(rs.getString(3)),
                CustomerId.of(rs.getString(4)), ChannelId.of(rs.getString(5)), Optional.ofNullable(rs.getString(6)),
                MessageId.of(rs.getString(7)), jdbc.instant(rs, 8), jdbc.instant(rs, 9), r,
                Optional.ofNullable(jdbc.instantOrNull(rs, 11)), Optional.ofNullable(rs.getString(12)));
    }

    private CannedResponse canned(ResultSet rs) throws SQLException {
        return new CannedResponse(TenantId.of(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6)).map(ChannelType::of),
                attachments(rs.getString(7)));
    }

    /** One attachment per line, its url, mime type and name URL-encoded and separated by spaces. */
    static String attachments(List<CannedResponse.Attachment> list) {
        StringBuilder sb = new StringBuilder();
        for (CannedResponse.Attachment a : list) {
            sb.append(enc(a.url().toString())).append(' ').append(enc(a.mimeType())).append(' ')
                    .append(enc(a.name())).append('\n');
        }
        return sb.toString();
    }

    static List<CannedResponse.Attachment> attachments(String stored) {
        List<CannedResponse.Attachment> out = new ArrayList<>();
        for (String line : stored.split("\n")) {
            if (!line.isBlank()) {
                String[] f = line.split(" ", -1);
                out.add(new CannedResponse.Attachment(URI.create(dec(f[0])), dec(f[1]), dec(f[2])));
            }
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
