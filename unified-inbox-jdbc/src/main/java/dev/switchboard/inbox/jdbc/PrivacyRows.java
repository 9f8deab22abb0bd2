package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.privacy.ErasureRecord;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Erasure within one transaction: the erasure records, and the bulk statements that delete one person's messages,
 * outbox rows, conversations with what hangs on them, channel traces, quarantined input and ambiguous-contact marks,
 * and empty their events' attributes. Lists of ids are bound in chunks of {@link #CHUNK}, so a person with thousands
 * of conversations costs a few statements per table, not one per row.
 */
final class PrivacyRows {
    private static final int CHUNK = 500;
    private static final int QUARANTINE_PAGE = 1000;

    private final JdbcStatements jdbc;
    private final PrivacySql sql;

    PrivacyRows(JdbcStatements jdbc, PrivacySql sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    Optional<ErasureRecord> record(TenantId tenant, CustomerId customer) {
        return jdbc.queryOne(sql.select, this::row, tenant.value(), customer.value());
    }

    void save(ErasureRecord r) {
        jdbc.update(sql.upsert, r.tenant().value(), r.customer().value(), r.requestedAt(),
                r.completedAt().orElse(null), r.actor(),
                String.join("\n", r.customers().stream().map(CustomerId::value).sorted().toList()), r.messages(),
                r.mediaDeleted(), r.mediaKept());
    }

    List<ErasureRecord> unfinished(int limit) {
        return jdbc.queryList(sql.selectUnfinished, this::row, limit);
    }

    int eraseConversations(TenantId tenant, Set<ConversationId> conversations, Set<CustomerId> customers) {
        List<String> convs = conversations.stream().map(ConversationId::value).toList();
        List<String> custs = customers.stream().map(CustomerId::value).toList();
        String t = tenant.value();
        deleteOutboxRows(t, custs, convs);
        int messages = chunked(custs, n -> PrivacySql.deleteIn(sql.message, "customer_id", n), t);
        messages += chunked(convs, n -> PrivacySql.deleteIn(sql.message, "conversation_id", n), t);
        chunked(convs, n -> PrivacySql.deleteIn(sql.choiceMap, "conversation_id", n), t);
        chunked(convs, n -> PrivacySql.deleteIn(sql.assignment, "conversation_id", n), t);
        chunked(convs, n -> PrivacySql.deleteIn(sql.queue, "conversation_id", n), t);
        chunked(convs, n -> PrivacySql.deleteIn(sql.sla, "conversation_id", n), t);
        // survey answers and comments, complaint marks and the consent ledger's evidence are the person's too
        chunked(convs, n -> PrivacySql.deleteIn(sql.survey, "conversation_id", n), t);
        chunked(custs, n -> PrivacySql.deleteIn(sql.survey, "customer_id", n), t);
        chunked(convs, n -> PrivacySql.deleteIn(sql.complaint, "conversation_id", n), t);
        chunked(custs, n -> PrivacySql.deleteIn(sql.consentEntry, "customer_id", n), t);
        chunked(convs, n -> PrivacySql.deleteIn(sql.conversation, "id", n), t);
        return messages;
    }

    /**
     * Deletes the outbox rows ({@code messageId:part}) of the outbound messages of these customers and conversations
     * by primary key, part 0 of every message, then part 1, until a part deletes nothing (a message's parts are
     * numbered from 0 without gaps). Index lookups only: a join on the id's prefix would depend on the planner's
     * statistics, and right after a bulk load they can make it scan the outbox once per message.
     */
    private void deleteOutboxRows(String tenant, List<String> customers, List<String> conversations) {
        Set<String> outbound = new LinkedHashSet<>();
        selectChunked(customers, n -> sql.selectOutboundIds("customer_id", n), outbound, tenant);
        selectChunked(conversations, n -> sql.selectOutboundIds("conversation_id", n), outbound, tenant);
        List<String> ids = List.copyOf(outbound);
        for (int part = 0; !ids.isEmpty(); part++) {
            String suffix = ":" + part;
            if (chunked(ids.stream().map(id -> id + suffix).toList(),
                    n -> PrivacySql.deleteIn(sql.outbox, "id", n), tenant) == 0) {
                return;
            }
        }
    }

    private void selectChunked(List<String> ids, IntFunction<String> ofSize, Set<String> into, String tenant) {
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            Object[] args = new Object[chunk.size() + 1];
            args[0] = tenant;
            for (int i = 0; i < chunk.size(); i++) {
                args[i + 1] = chunk.get(i);
            }
            into.addAll(jdbc.queryList(ofSize.apply(chunk.size()), rs -> rs.getString(1), args));
        }
    }

    int scrubEvents(TenantId tenant, Set<CustomerId> customers, Set<ConversationId> conversations) {
        String t = tenant.value();
        return chunked(customers.stream().map(CustomerId::value).toList(), n -> sql.scrubEvents("customer_id", n), t)
                + chunked(conversations.stream().map(ConversationId::value).toList(),
                        n -> sql.scrubEvents("conversation_id", n), t);
    }

    int eraseTraces(TenantId tenant, Set<AccountKey> accounts, Set<String> identifiers) {
        String t = tenant.value();
        int removed = 0;
        for (AccountKey a : accounts) {
            String id = a.platformUserId();
            String c = a.channel().value();
            removed += jdbc.update(sql.deleteChannelState(), t, c, id, "%:" + escape(id),
                    "%" + escape("\"" + id + "\"") + "%");
            removed += jdbc.update(sql.deleteChannelLog(sql.channelLog), t, c, id, "%:" + escape(id));
            jdbc.update(sql.deleteChannelLog(sql.channelLogHead), t, c, id, "%:" + escape(id));
            removed += jdbc.update("DELETE FROM " + sql.sendPace + " WHERE pace_key = ?", t + "/" + c + "/" + id);
        }
        if (!identifiers.isEmpty()) {
            List<Long> doomed = new ArrayList<>();
            long after = -1;
            while (true) {
                List<Object[]> page = jdbc.queryList("SELECT id, raw FROM " + sql.quarantine
                        + " WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?",
                        rs -> new Object[] {rs.getLong(1), rs.getBytes(2)}, t, after, QUARANTINE_PAGE);
                for (Object[] row : page) {
                    String raw = new String((byte[]) row[1], StandardCharsets.UTF_8);
                    if (identifiers.stream().anyMatch(raw::contains)) {
                        doomed.add((Long) row[0]);
                    }
                }
                if (page.size() < QUARANTINE_PAGE) {
                    break;
                }
                after = (Long) page.get(page.size() - 1)[0];
            }
            for (Long id : doomed) {
                removed += jdbc.update("DELETE FROM " + sql.quarantine + " WHERE tenant = ? AND id = ?", t, id);
            }
            removed += chunked(List.copyOf(identifiers), n -> PrivacySql.deleteIn(sql.ambiguous, "point", n), t);
        }
        return removed;
    }

    /** Runs the statement {@code ofSize} makes for each chunk of {@code ids}, after {@code fixed} arguments. */
    private int chunked(List<String> ids, IntFunction<String> ofSize, Object... fixed) {
        int changed = 0;
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            Object[] args = Arrays.copyOf(fixed, fixed.length + chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                args[fixed.length + i] = chunk.get(i);
            }
            changed += jdbc.update(ofSize.apply(chunk.size()), args);
        }
        return changed;
    }

    private static String escape(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private ErasureRecord row(ResultSet rs) throws SQLException {
        Set<CustomerId> customers = new LinkedHashSet<>();
        for (String id : rs.getString(6).split("\n")) {
            if (!id.isEmpty()) {
                customers.add(new CustomerId(id));
            }
        }
        return new ErasureRecord(new TenantId(rs.getString(1)), new CustomerId(rs.getString(2)),
                customers, rs.getString(5), jdbc.instant(rs, 3), Optional.ofNullable(jdbc.instantOrNull(rs, 4)),
                rs.getLong(7), rs.getLong(8), rs.getLong(9));
    }
}
