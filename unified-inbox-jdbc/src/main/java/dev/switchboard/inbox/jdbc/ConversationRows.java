package dev.switchboard.inbox.jdbc;

import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.ChoiceMap;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.store.Page;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Conversations and their numbered-reply maps within one transaction. */
final class ConversationRows {
    private final JdbcStatements jdbc;
    private final ConversationSql sql;
    private final JsonCodec json;
    private final HeldWrites held;

    ConversationRows(JdbcStatements jdbc, ConversationSql sql, JsonCodec json, HeldWrites held) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.json = json;
        this.held = held;
    }

    Optional<Conversation> conversation(TenantId tenant, ConversationId id) {
        IngestCache ingest = held.ingestOrNull();
        if (ingest != null) {
            Optional<Conversation> known = ingest.conversation(tenant.value(), id.value());
            if (known.isPresent()) {
                return known;
            }
        }
        return jdbc.queryOne(sql.selectConversation, rs -> held.storedConversation(rs.getString(1)), tenant.value(),
                id.value());
    }

    /** The tenant's conversations with these ids in one statement (none held by an ingest group: read one by one). */
    Map<ConversationId, Conversation> conversationsById(TenantId tenant, Collection<ConversationId> ids) {
        Map<ConversationId, Conversation> found = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        if (held.ingestOrNull() != null) {
            for (ConversationId id : ids) {
                conversation(tenant, id).ifPresent(c -> found.put(id, c));
            }
            return found;
        }
        List<String> keys = ids.stream().map(ConversationId::value).distinct().collect(Collectors.toList());
        jdbc.queryList(jdbc.dialect().perKey(sql.byIdLookup, keys, tenant.value()),
                rs -> held.storedConversation(rs.getString(1))).forEach(c -> found.put(c.id(), c));
        return found;
    }

    void saveConversation(Conversation c) {
        IngestCache ingest = held.ingestOrNull();
        if (ingest != null) {
            ingest.savedConversation(c);
            held.holdConversation(c);
            return;
        }
        jdbc.batch(sql.upsertConversation, HeldWrites.conversationRows(List.of(c), json));
    }

    List<Conversation> conversationsOf(TenantId tenant, Set<CustomerId> customers) {
        if (customers.isEmpty()) {
            return List.of();
        }
        IngestCache ingest = held.ingestOrNull();
        if (ingest != null) {
            Optional<List<Conversation>> known = ingest.conversationsOf(tenant.value(), customers);
            if (known.isPresent()) {
                return known.get();
            }
        }
        List<Object> args = new ArrayList<>();
        args.add(tenant.value());
        customers.forEach(c -> args.add(c.value()));
        return jdbc.queryList(sql.selectOfCustomers(customers.size()), rs -> held.storedConversation(rs.getString(1)),
                args.toArray());
    }

    Page<Conversation> conversations(ConversationQuery query) {
        List<Object> args = new ArrayList<>();
        args.add(query.tenant().value());
        query.statuses().stream().map(Enum::name).sorted().forEach(args::add);
        query.assignee().ifPresent(args::add);
        query.channel().ifPresent(ch -> args.add(ch.value()));
        Optional<String> cursor = query.page().cursor();
        if (cursor.isPresent()) {
            ConversationCursor c = ConversationCursor.decode(cursor.get());
            args.add(c.updatedAt);
            args.add(c.updatedAt);
            args.add(c.id);
        }
        int limit = query.page().limit();
        args.add(limit + 1);
        String select = sql.selectPage(query.statuses().size(), query.assignee().isPresent(),
                query.channel().isPresent(), cursor.isPresent());
        List<Object[]> rows = jdbc.queryList(select, rs -> new Object[] {held.storedConversation(rs.getString(1)),
                jdbc.instant(rs, 2), rs.getString(3)}, args.toArray());
        List<Conversation> items = rows.stream().limit(limit).map(r -> (Conversation) r[0])
                .collect(Collectors.toList());
        if (rows.size() <= limit) {
            return Page.last(items);
        }
        Object[] last = rows.get(limit - 1);
        return new Page<>(items, Optional.of(new ConversationCursor((Instant) last[1], (String) last[2]).encode()));
    }

    void saveChoiceMap(TenantId tenant, ConversationId conversation, ChoiceMap map) {
        IngestCache ingest = held.ingestOrNull();
        if (ingest != null) {
            ingest.savedChoiceMap(tenant.value(), conversation.value(), map);
        }
        jdbc.update(sql.upsertChoiceMap, tenant.value(), conversation.value(), json.write(map));
    }

    Optional<ChoiceMap> choiceMap(TenantId tenant, ConversationId conversation) {
        IngestCache ingest = held.ingestOrNull();
        if (ingest != null) {
            Optional<Optional<ChoiceMap>> known = ingest.choiceMap(tenant.value(), conversation.value());
            if (known.isPresent()) {
                return known.get();
            }
        }
        return jdbc.queryOne(sql.selectChoiceMap, rs -> json.choiceMap(rs.getString(1)), tenant.value(),
                conversation.value());
    }

    /** Keyset position in "newest activity first" order: the last row's stored timestamp and id. */
    private record ConversationCursor(Instant updatedAt, String id) {
        String encode() {
            String raw = updatedAt.getEpochSecond() + "." + updatedAt.getNano() + "|" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static ConversationCursor decode(String cursor) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int bar = raw.indexOf('|');
                String[] time = raw.substring(0, bar).split("\\.");
                return new ConversationCursor(Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1])),
                        raw.substring(bar + 1));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a conversation page cursor: " + cursor, e);
            }
        }
    }
}
