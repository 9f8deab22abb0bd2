package dev.switchboard.inbox.jdbc;

import dev.switchboard.channel.RejectedInput;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.inbox.spi.QuarantineEntry;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The inbox's own tables within one transaction: processed platform events (dedupe), the outbox, the event feed,
 * quarantine and send pacing.
 */
final class InboxTables {
    private final JdbcStatements jdbc;
    private final InboxTableSql sql;
    private final JsonCodec json;
    private final HeldWrites held;
    /** Events appended in this transaction, numbered and written just before commit. */
    private final List<InboxEvent> pendingEvents = new ArrayList<>();
    /** Send-pace keys read as absent in this transaction: saving one inserts, so a racing node's insert conflicts. */
    private final Set<String> absentPaceKeys = new HashSet<>();

    InboxTables(JdbcStatements jdbc, InboxTableSql sql, JsonCodec json, HeldWrites held) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.json = json;
        this.held = held;
    }

    // ---- processed platform events ------------------------------------------------------------------------------

    boolean markProcessed(TenantId tenant, ChannelId channel, String eventId, Instant at) {
        IngestCache ingest = held.ingestOrNull();
        if (ingest != null) {
            Optional<Boolean> known = ingest.processed(tenant.value(), channel.value(), eventId);
            if (known.isPresent()) {
                if (known.get()) {
                    return false;
                }
                // Held back and inserted without ON CONFLICT: should another node process the same event meanwhile,
                // the insert fails at flush and the whole transaction runs again, finding the event processed.
                ingest.markProcessed(tenant.value(), channel.value(), eventId);
                held.holdProcessed(new Object[] {tenant.value(), channel.value(), eventId, at});
                return true;
            }
        }
        return jdbc.insertIfAbsent(sql.processedTable, InboxTableSql.PROCESSED_COLUMNS, tenant.value(),
                channel.value(), eventId, at);
    }

    int pruneProcessed(Instant before, int limit) {
        return jdbc.update(sql.pruneProcessed, before, limit);
    }

    // ---- outbox -------------------------------------------------------------------------------------------------

    void enqueue(OutboxEntry e) {
        jdbc.update(sql.insertOutbox, e.id(), e.tenant().value(), e.status().name(), e.attempts(), e.nextAttemptAt(),
                e.lastError().orElse(null), e.leaseOwner().orElse(null), e.leaseUntil().orElse(null), e.createdAt(),
                e.updatedAt(), json.write(e.message()));
    }

    List<OutboxEntry> claimOutbox(Instant now, int limit, String owner, Instant leaseUntil) {
        if (limit < 1) {
            return List.of();
        }
        List<OutboxEntry> claimed = new ArrayList<>(jdbc.dialect().claimOutbox(jdbc, sql.outboxTable,
                InboxTableSql.OUTBOX_COLUMNS, this::outboxEntry, now, limit, owner, leaseUntil));
        claimed.sort(Comparator.comparing(OutboxEntry::nextAttemptAt).thenComparing(OutboxEntry::createdAt)
                .thenComparing(OutboxEntry::id));
        return claimed;
    }

    void updateOutbox(OutboxEntry e) {
        int n = jdbc.update(sql.updateOutbox, e.status().name(), e.attempts(), e.nextAttemptAt(),
                e.lastError().orElse(null), e.leaseOwner().orElse(null), e.leaseUntil().orElse(null), e.updatedAt(),
                e.id());
        if (n == 0) {
            throw new IllegalArgumentException("no outbox row " + e.id());
        }
    }

    void replaceOutboxMessage(String id, dev.switchboard.channel.OutboundMessage message) {
        int n = jdbc.update(sql.updateOutboxMessage, json.write(message), id);
        if (n == 0) {
            throw new IllegalArgumentException("no outbox row " + id);
        }
    }

    Optional<OutboxEntry> outboxEntry(String id) {
        return jdbc.queryOne(sql.selectOutbox, this::outboxEntry, id);
    }

    private OutboxEntry outboxEntry(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getString(1), TenantId.of(rs.getString(2)), json.outbound(rs.getString(11)),
                OutboxEntry.Status.valueOf(rs.getString(3)), rs.getInt(4), jdbc.instant(rs, 5),
                Optional.ofNullable(rs.getString(6)), Optional.ofNullable(rs.getString(7)),
                Optional.ofNullable(jdbc.instantOrNull(rs, 8)), jdbc.instant(rs, 9), jdbc.instant(rs, 10));
    }

    long pendingOutboxCount() {
        return jdbc.queryOne(sql.countPendingOutbox, rs -> rs.getLong(1)).orElse(0L);
    }

    Optional<Instant> oldestPendingOutbox() {
        return jdbc.queryOne(sql.oldestPendingOutbox, rs -> Optional.ofNullable(jdbc.instantOrNull(rs, 1)))
                .flatMap(o -> o);
    }

    // ---- event feed ---------------------------------------------------------------------------------------------

    /**
     * Queues the event; it is numbered and written by {@link #flushEvents()} right before commit. Taking the number
     * locks the counter row until the transaction ends, so doing it last keeps that lock for the commit only instead
     * of for the whole (group-committed) transaction. The returned event is not numbered yet (seq 0): the number is
     * assigned at commit, as documented in docs/unified-inbox-spi-changes.md.
     */
    InboxEvent appendEvent(InboxEvent e) {
        pendingEvents.add(e);
        return e.withSeq(0);
    }

    /** Numbers and writes the queued events: one counter update and one batch insert. */
    void flushEvents() {
        if (pendingEvents.isEmpty()) {
            return;
        }
        int n = pendingEvents.size();
        long last = jdbc.dialect().advanceCounter(jdbc, sql.counterTable, n);
        long seq = last - n;
        List<Object[]> rows = new ArrayList<>(n);
        for (InboxEvent e : pendingEvents) {
            seq++;
            rows.add(new Object[] {seq, e.tenant().value(), e.type().name(),
                    e.conversation().map(ConversationId::value).orElse(null),
                    e.message().map(MessageId::value).orElse(null), e.customer().map(CustomerId::value).orElse(null),
                    json.write(e.attributes()), e.at()});
        }
        pendingEvents.clear();
        jdbc.batch(sql.insertEvent, rows);
    }

    List<InboxEvent> events(Optional<TenantId> tenant, long afterSeq, int limit) {
        flushEvents();
        Object[] args = tenant.isPresent() ? new Object[] {afterSeq, tenant.get().value(), limit}
                : new Object[] {afterSeq, limit};
        return jdbc.queryList(sql.selectEvents(tenant.isPresent()), rs -> new InboxEvent(rs.getLong(1),
                TenantId.of(rs.getString(2)), InboxEvent.Type.valueOf(rs.getString(3)),
                Optional.ofNullable(rs.getString(4)).map(ConversationId::of),
                Optional.ofNullable(rs.getString(5)).map(MessageId::of),
                Optional.ofNullable(rs.getString(6)).map(CustomerId::of),
                json.readStringMap(rs.getString(7)), jdbc.instant(rs, 8)), args);
    }

    long lastEventSeq() {
        flushEvents();
        return jdbc.queryOne(sql.lastEventSeq, rs -> rs.getLong(1)).orElse(0L);
    }

    // ---- quarantine ---------------------------------------------------------------------------------------------

    QuarantineEntry quarantine(TenantId tenant, RejectedInput input) {
        long id = jdbc.insertReturningId(sql.insertQuarantine, tenant.value(), input.channel().value(),
                input.platformEventId().orElse(null), input.raw(), input.reason(), input.receivedAt());
        return new QuarantineEntry(id, tenant, input);
    }

    List<QuarantineEntry> quarantined(TenantId tenant, int limit) {
        return jdbc.queryList(sql.selectQuarantined, rs -> new QuarantineEntry(rs.getLong(1), tenant,
                new RejectedInput(ChannelId.of(rs.getString(2)), Optional.ofNullable(rs.getString(3)), rs.getBytes(4),
                        rs.getString(5), jdbc.instant(rs, 6))), tenant.value(), limit);
    }

    // ---- send pacing --------------------------------------------------------------------------------------------

    Optional<Instant> sendPaceMark(String key) {
        Optional<Instant> mark = jdbc.queryOne(sql.selectPaceMarkForUpdate, rs -> jdbc.instant(rs, 1), key);
        if (mark.isEmpty()) {
            absentPaceKeys.add(key);
        }
        return mark;
    }

    void saveSendPaceMark(String key, Instant mark) {
        if (absentPaceKeys.remove(key)) {
            // a plain insert: if another node inserted it meanwhile, the unique key fails this transaction, which the
            // store runs again, now reading (and locking) that node's mark
            jdbc.update(sql.insertPaceMark, key, mark);
        } else {
            jdbc.update(sql.upsertPaceMark, key, mark);
        }
    }

    int pruneSendPaceMarks(Instant before) {
        return jdbc.update(sql.prunePaceMarks, before);
    }
}
