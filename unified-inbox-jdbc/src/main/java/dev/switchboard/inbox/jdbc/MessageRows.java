package dev.switchboard.inbox.jdbc;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.DuplicateKeyException;
import dev.switchboard.store.Page;
import dev.switchboard.store.PageRequest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Messages within one transaction: saved, read by id, platform id, conversation and customer timeline. */
final class MessageRows {
    private final JdbcStatements jdbc;
    private final MessageSql sql;
    private final JsonCodec json;
    private final HeldWrites held;

    MessageRows(JdbcStatements jdbc, MessageSql sql, JsonCodec json, HeldWrites held) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.json = json;
        this.held = held;
    }

    void saveMessage(Message m) {
        IngestCache ingest = held.ingestOrNull();
        if (ingest != null) {
            // held back: written in a batch by the flush, in the order first saved
            ingest.savedMessage(m);
            held.holdMessage(m);
            return;
        }
        Object[] args = HeldWrites.messageRow(m, json);
        // New messages are the common case: one round trip. A conflict is either this message being replaced
        // (the UPDATE below finds it) or another message holding the platform id (nothing to update).
        boolean inserted;
        try {
            inserted = jdbc.rawUpdate(sql.insertMessageIfAbsent, args) == 1;
        } catch (SQLException e) {
            if (!jdbc.isIgnorableDuplicate(e)) {
                throw jdbc.translate("saving message " + m.id(), e);
            }
            inserted = false;
        }
        if (inserted) {
            return;
        }
        int updated = jdbc.update(sql.updateMessage, args[2], args[3], args[4], args[5], args[6], args[7], args[0],
                args[1]);
        if (updated == 0) {
            throw new DuplicateKeyException("message with platform id " + m.platformMessageId().orElse("?") + " ("
                    + m.direction() + ") already stored for " + m.tenant() + "/" + m.channel());
        }
    }

    Optional<Message> message(TenantId tenant, MessageId id) {
        return jdbc.queryOne(sql.selectMessage, rs -> held.storedMessage(rs.getString(1)), tenant.value(), id.value());
    }

    Optional<Message> messageByPlatformId(TenantId tenant, ChannelId channel, String platformMessageId) {
        IngestCache ingest = held.ingestOrNull();
        if (ingest != null) {
            Optional<Optional<Message>> known = ingest.messageByPlatformId(tenant.value(), channel.value(),
                    platformMessageId);
            if (known.isPresent()) {
                return known.get();
            }
        }
        return jdbc.queryOne(sql.selectFirstByPlatformId, rs -> held.storedMessage(rs.getString(1)), tenant.value(),
                channel.value(), platformMessageId);
    }

    List<Message> messages(TenantId tenant, ConversationId conversation) {
        return jdbc.queryList(sql.selectOfConversation, rs -> held.storedMessage(rs.getString(1)), tenant.value(),
                conversation.value());
    }

    Page<Message> timeline(TenantId tenant, Set<CustomerId> customers, PageRequest page) {
        if (customers.isEmpty()) {
            return Page.last(List.of());
        }
        long after;
        try {
            after = page.cursor().map(Long::parseLong).orElse(0L);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a timeline page cursor: " + page.cursor().get(), e);
        }
        List<Object> args = new ArrayList<>();
        args.add(tenant.value());
        customers.forEach(c -> args.add(c.value()));
        args.add(after);
        args.add(page.limit() + 1);
        List<Object[]> rows = jdbc.queryList(sql.selectTimeline(customers.size()),
                rs -> new Object[] {held.storedMessage(rs.getString(1)), rs.getLong(2)}, args.toArray());
        List<Message> items = rows.stream().limit(page.limit()).map(r -> (Message) r[0]).collect(Collectors.toList());
        if (rows.size() <= page.limit()) {
            return Page.last(items);
        }
        return new Page<>(items, Optional.of(String.valueOf(rows.get(page.limit() - 1)[1])));
    }
}
