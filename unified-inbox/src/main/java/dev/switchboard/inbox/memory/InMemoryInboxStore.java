package dev.switchboard.inbox.memory;

import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.LogEntry;
import dev.switchboard.channel.state.LogWatchers;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.privacy.ErasureRecord;
import dev.switchboard.inbox.routing.AgentLoad;
import dev.switchboard.inbox.routing.AgentStatus;
import dev.switchboard.inbox.routing.AssignOutcome;
import dev.switchboard.inbox.routing.Assignment;
import dev.switchboard.inbox.routing.QueuedConversation;
import dev.switchboard.inbox.campaign.CampaignId;
import dev.switchboard.inbox.campaign.CampaignRecipient;
import dev.switchboard.inbox.campaign.CampaignState;
import dev.switchboard.inbox.campaign.RecipientStatus;
import dev.switchboard.inbox.campaign.SkipReason;
import dev.switchboard.inbox.campaign.StoredCampaign;
import dev.switchboard.inbox.sla.SlaDeadline;
import dev.switchboard.inbox.sla.SlaKind;
import dev.switchboard.inbox.sla.SlaState;
import dev.switchboard.model.ChannelType;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.Lease;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.inbox.spi.QuarantineEntry;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.ChoiceMap;
import dev.switchboard.store.TransactionWork;
import dev.switchboard.store.memory.InMemoryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * An {@link InboxStore} that keeps everything in memory, for tests, demos and single-process hosts that need no
 * durability. Its transactions are channel-api's {@link InMemoryStore} transactions extended with the inbox's tables
 * (processed event ids, outbox, event feed, quarantine, choice maps, send-pace marks, agents, assignments and the
 * routing queue): customers, conversations and
 * messages are the base store's own, and every change to an inbox table registers its inverse with
 * {@link InMemoryStore.Tx#onRollback(Runnable)}, so a rolled-back transaction leaves no trace in either. Transactions
 * are serialized by the base store's lock, which also makes the feed's sequence numbers appear strictly in order.
 * Leases are held in-process (one JVM is one node).
 */
public final class InMemoryInboxStore implements InboxStore {

    private final InMemoryStore base;
    // All fields below are only touched inside base's transactions, i.e. under its lock.
    private final Map<String, Instant> processed = new HashMap<>();
    private final Map<String, OutboxEntry> outbox = new HashMap<>();
    private final Map<String, Boolean> pending = new LinkedHashMap<>();
    private final List<InboxEvent> feed = new ArrayList<>();
    private final List<QuarantineEntry> quarantine = new ArrayList<>();
    private final Map<String, ChoiceMap> choiceMaps = new HashMap<>();
    private final Map<String, Instant> sendPaceMarks = new HashMap<>();
    private final Map<String, StateRecord> stateRecords = new HashMap<>();
    private final Map<String, List<LogEntry>> stateLogs = new HashMap<>();
    private final LogWatchers logWatchers = new LogWatchers();
    private final Map<String, MemoryLease> leases = new ConcurrentHashMap<>();
    // Routing: agents, assignments and the queue, keyed by tenant and id.
    private final Map<String, AgentStatus> agents = new HashMap<>();
    private final Map<String, Assignment> assignments = new HashMap<>();
    private final Map<String, QueuedConversation> queue = new HashMap<>();
    // SLA deadlines, keyed by tenant, conversation and kind.
    private final Map<String, SlaDeadline> slaDeadlines = new HashMap<>();
    /** The running deadlines in fire order, so the timer reads the head instead of scanning every deadline. */
    private final SlaFireIndex slaFireOrder = new SlaFireIndex();
    // The consent ledger, append-only, in append order.
    private final List<dev.switchboard.inbox.consent.ConsentEntry> consentLedger = new ArrayList<>();
    private final Set<String> consentEntryIds = new java.util.HashSet<>();
    // Campaigns and their recipients.
    private final MemoryCampaigns campaigns = new MemoryCampaigns();
    // Surveys by tenant and id, complaint marks by tenant and conversation, canned responses by tenant and code.
    private final Map<String, dev.switchboard.inbox.survey.Survey> surveys = new HashMap<>();
    private final Map<String, dev.switchboard.inbox.survey.Complaint> complaints = new HashMap<>();
    private final Map<String, dev.switchboard.inbox.canned.CannedResponse> canned = new HashMap<>();
    private final java.util.TreeMap<String, dev.switchboard.inbox.kpi.KpiFact> kpiFacts = new java.util.TreeMap<>();
    private final Map<String, Long> kpiCheckpoint = new HashMap<>();
    private final java.util.TreeMap<String, dev.switchboard.inbox.kpi.KpiWait> kpiWaits = new java.util.TreeMap<>();
    private final Map<String, ErasureRecord> erasures = new LinkedHashMap<>();
    /** The queue in service order per tenant, so reading its head does not sort it. */
    private final java.util.NavigableSet<QueuedConversation> queueOrder = new java.util.TreeSet<>(
            Comparator.comparing((QueuedConversation q) -> q.tenant().value())
                    .thenComparing(QueuedConversation.SERVICE_ORDER));

    private static final Comparator<dev.switchboard.inbox.consent.ConsentEntry> CONSENT_ORDER = Comparator.comparing(
            dev.switchboard.inbox.consent.ConsentEntry::at).thenComparing(dev.switchboard.inbox.consent.ConsentEntry::id);

    /** A store over a fresh {@link InMemoryStore}. */
    public InMemoryInboxStore() {
        this(new InMemoryStore());
    }

    /** A store over an existing base store (to share customers with code that uses the base store directly). */
    public InMemoryInboxStore(InMemoryStore base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    @Override
    public <T> T inTransaction(TransactionWork<InboxTransaction, T> work) {
        Objects.requireNonNull(work, "work");
        List<MemoryTx> attempts = new ArrayList<>(1);
        T result = base.inTransaction(b -> {
            MemoryTx tx = new MemoryTx(b);
            attempts.add(tx);
            return tx;
        }, work::run);
        // after commit, outside the store's lock: watchers of the logs appended to may read at once
        for (MemoryTx tx : attempts) {
            tx.appendedLogs.forEach(logWatchers::fire);
        }
        return result;
    }

    /** Supported: inboxes sharing this store object are told of each other's appends once they commit. */
    @Override
    public Optional<ChannelState.Watch> watchChannelLog(TenantId tenant, ChannelId channel, String log,
            Runnable onAppend) {
        return Optional.of(logWatchers.add(key(tenant, channel, log), onAppend));
    }

    /** True: inboxes sharing this store object pace each platform account together. */
    @Override
    public boolean sharesSendPacing() {
        return true;
    }

    /** True: inboxes sharing this store object share their channels' state. */
    @Override
    public boolean keepsChannelState() {
        return true;
    }

    @Override
    public Optional<Lease> tryAcquireLease(String name, String owner) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        MemoryLease fresh = new MemoryLease(name, owner);
        MemoryLease held = leases.compute(name, (k, current) ->
                current == null || !current.isHeld() ? fresh : current);
        return held == fresh ? Optional.of(fresh) : Optional.empty();
    }

    /**
     * Simulates the death of a node for tests: every lease held by {@code owner} is lost, as when PostgreSQL drops a
     * dead node's connection and with it its advisory locks.
     */
    public void expireLeasesOf(String owner) {
        leases.values().forEach(l -> {
            if (l.owner.equals(owner)) {
                l.release();
            }
        });
    }

    @Override
    public void close() {
        leases.values().forEach(MemoryLease::release);
    }

    @Override
    public String toString() {
        return "InMemoryInboxStore";
    }

    private static <V> void restore(Map<String, V> map, String key, V previous) {
        if (previous == null) {
            map.remove(key);
        } else {
            map.put(key, previous);
        }
    }

    /** Whether a channel-state key or log name is the account's own ({@code webchat.session:<id>} and the like). */
    private static boolean namesAccount(String key, String platformUserId) {
        return key.equals(platformUserId) || key.endsWith(":" + platformUserId);
    }

    private static String key(Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            sb.append(p).append('\u0000');
        }
        return sb.toString();
    }

    private final class MemoryLease implements Lease {
        private final String name;
        private final String owner;
        private volatile boolean held = true;

        MemoryLease(String name, String owner) {
            this.name = name;
            this.owner = owner;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isHeld() {
            return held;
        }

        @Override
        public void release() {
            held = false;
            leases.remove(name, this);
        }

        @Override
        public String toString() {
            return "Lease[" + name + " by " + owner + (held ? "" : ", released") + "]";
        }
    }

    /**
     * One transaction of the base store extended with the inbox's tables: customers, conversations and messages are
     * the base store's own (inherited), and every write to the inbox's tables registers its inverse with the same
     * undo log.
     */
    private final class MemoryTx extends InMemoryStore.Tx implements InboxTransaction {

        /** The logs this transaction appended to, whose watchers are called once it committed. */
        final Set<String> appendedLogs = new LinkedHashSet<>();

        MemoryTx(InMemoryStore store) {
            store.super();
        }

        @Override
        public boolean markProcessed(TenantId tenant, ChannelId channel, String eventId, Instant at) {
            String k = key(tenant, channel, eventId);
            if (processed.putIfAbsent(k, at) != null) {
                return false;
            }
            onRollback(() -> processed.remove(k));
            return true;
        }

        @Override
        public int pruneProcessed(Instant before, int limit) {
            List<Map.Entry<String, Instant>> old = processed.entrySet().stream()
                    .filter(e -> e.getValue().isBefore(before))
                    .sorted(Map.Entry.comparingByValue())
                    .limit(limit)
                    .map(e -> Map.entry(e.getKey(), e.getValue()))
                    .toList();
            for (Map.Entry<String, Instant> e : old) {
                processed.remove(e.getKey());
                onRollback(() -> processed.put(e.getKey(), e.getValue()));
            }
            return old.size();
        }

        @Override
        public void enqueue(OutboxEntry entry) {
            if (outbox.containsKey(entry.id())) {
                throw new dev.switchboard.store.DuplicateKeyException("outbox row " + entry.id() + " already exists");
            }
            put(entry);
        }

        private void put(OutboxEntry entry) {
            OutboxEntry previous = outbox.put(entry.id(), entry);
            boolean wasPending = pending.containsKey(entry.id());
            if (entry.status() == OutboxEntry.Status.PENDING) {
                pending.put(entry.id(), Boolean.TRUE);
            } else {
                pending.remove(entry.id());
            }
            onRollback(() -> {
                if (previous == null) {
                    outbox.remove(entry.id());
                } else {
                    outbox.put(entry.id(), previous);
                }
                if (wasPending) {
                    pending.put(entry.id(), Boolean.TRUE);
                } else {
                    pending.remove(entry.id());
                }
            });
        }

        @Override
        public List<OutboxEntry> claimOutbox(Instant now, int limit, String owner, Instant leaseUntil) {
            List<OutboxEntry> due = new ArrayList<>();
            for (String id : pending.keySet()) {
                OutboxEntry e = outbox.get(id);
                boolean leaseFree = e.leaseUntil().isEmpty() || !e.leaseUntil().get().isAfter(now);
                if (!e.nextAttemptAt().isAfter(now) && leaseFree) {
                    due.add(e);
                }
            }
            due.sort(Comparator.comparing(OutboxEntry::nextAttemptAt).thenComparing(OutboxEntry::createdAt)
                    .thenComparing(OutboxEntry::id));
            List<OutboxEntry> claimed = new ArrayList<>();
            for (OutboxEntry e : due.subList(0, Math.min(limit, due.size()))) {
                OutboxEntry c = new OutboxEntry(e.id(), e.tenant(), e.message(), e.status(), e.attempts(),
                        e.nextAttemptAt(), e.lastError(), Optional.of(owner), Optional.of(leaseUntil), e.createdAt(),
                        now);
                put(c);
                claimed.add(c);
            }
            return claimed;
        }

        @Override
        public void updateOutbox(OutboxEntry entry) {
            if (!outbox.containsKey(entry.id())) {
                throw new IllegalArgumentException("no outbox row " + entry.id());
            }
            put(entry);
        }

        @Override
        public Optional<OutboxEntry> outboxEntry(String id) {
            return Optional.ofNullable(outbox.get(id));
        }

        @Override
        public void replaceOutboxMessage(String id, dev.switchboard.channel.OutboundMessage message) {
            OutboxEntry cur = outbox.get(id);
            if (cur == null) {
                throw new IllegalArgumentException("no outbox row " + id);
            }
            put(new OutboxEntry(cur.id(), cur.tenant(), message, cur.status(), cur.attempts(), cur.nextAttemptAt(),
                    cur.lastError(), cur.leaseOwner(), cur.leaseUntil(), cur.createdAt(), cur.updatedAt()));
        }

        @Override
        public long pendingOutboxCount() {
            return pending.size();
        }

        @Override
        public Optional<Instant> oldestPendingOutbox() {
            return pending.keySet().stream().map(id -> outbox.get(id).createdAt()).min(Comparator.naturalOrder());
        }

        @Override
        public InboxEvent appendEvent(InboxEvent event) {
            InboxEvent numbered = event.withSeq(feed.size() + 1L);
            feed.add(numbered);
            onRollback(() -> feed.remove(feed.size() - 1));
            return numbered;
        }

        @Override
        public List<InboxEvent> events(Optional<TenantId> tenant, long afterSeq, int limit) {
            List<InboxEvent> out = new ArrayList<>();
            for (int i = (int) Math.max(0, Math.min(afterSeq, feed.size())); i < feed.size() && out.size() < limit;
                 i++) {
                InboxEvent e = feed.get(i);
                if (tenant.isEmpty() || tenant.get().equals(e.tenant())) {
                    out.add(e);
                }
            }
            return out;
        }

        @Override
        public long lastEventSeq() {
            return feed.size();
        }

        @Override
        public QuarantineEntry quarantine(TenantId tenant, RejectedInput input) {
            QuarantineEntry entry = new QuarantineEntry(quarantine.size() + 1L, tenant, input);
            quarantine.add(entry);
            onRollback(() -> quarantine.remove(quarantine.size() - 1));
            return entry;
        }

        @Override
        public List<QuarantineEntry> quarantined(TenantId tenant, int limit) {
            List<QuarantineEntry> out = new ArrayList<>();
            for (int i = quarantine.size() - 1; i >= 0 && out.size() < limit; i--) {
                if (quarantine.get(i).tenant().equals(tenant)) {
                    out.add(quarantine.get(i));
                }
            }
            return out;
        }

        @Override
        public Optional<Instant> sendPaceMark(String key) {
            return Optional.ofNullable(sendPaceMarks.get(key));
        }

        @Override
        public void saveSendPaceMark(String key, Instant mark) {
            Instant previous = sendPaceMarks.put(Objects.requireNonNull(key, "key"),
                    Objects.requireNonNull(mark, "mark"));
            onRollback(() -> {
                if (previous == null) {
                    sendPaceMarks.remove(key);
                } else {
                    sendPaceMarks.put(key, previous);
                }
            });
        }

        @Override
        public int pruneSendPaceMarks(Instant before) {
            Map<String, Instant> removed = new HashMap<>();
            sendPaceMarks.entrySet().removeIf(e -> {
                if (e.getValue().isBefore(before)) {
                    removed.put(e.getKey(), e.getValue());
                    return true;
                }
                return false;
            });
            onRollback(() -> sendPaceMarks.putAll(removed));
            return removed.size();
        }

        @Override
        public Optional<StateRecord> channelStateRecord(TenantId tenant, ChannelId channel, String key) {
            return Optional.ofNullable(stateRecords.get(key(tenant, channel, key)));
        }

        @Override
        public void saveChannelStateRecord(TenantId tenant, ChannelId channel, StateRecord record) {
            String k = key(tenant, channel, record.key());
            StateRecord previous = stateRecords.put(k, record);
            onRollback(() -> restore(stateRecords, k, previous));
        }

        @Override
        public boolean deleteChannelStateRecord(TenantId tenant, ChannelId channel, String key) {
            String k = key(tenant, channel, key);
            StateRecord previous = stateRecords.remove(k);
            onRollback(() -> restore(stateRecords, k, previous));
            return previous != null;
        }

        @Override
        public LogEntry appendChannelLog(TenantId tenant, ChannelId channel, String log,
                LongFunction<String> valueOfSeq, Instant at) {
            List<LogEntry> entries = stateLogs.computeIfAbsent(key(tenant, channel, log), k -> new ArrayList<>());
            long seq = entries.size() + 1L;
            LogEntry entry = new LogEntry(seq, valueOfSeq.apply(seq), at);
            entries.add(entry);
            onRollback(() -> entries.remove(entries.size() - 1));
            appendedLogs.add(key(tenant, channel, log));
            return entry;
        }

        @Override
        public long lastChannelLogSeq(TenantId tenant, ChannelId channel, String log) {
            return stateLogs.getOrDefault(key(tenant, channel, log), List.of()).size();
        }

        @Override
        public List<LogEntry> channelLog(TenantId tenant, ChannelId channel, String log, long afterSeq, int limit) {
            List<LogEntry> entries = stateLogs.getOrDefault(key(tenant, channel, log), List.of());
            int from = (int) Math.min(Math.max(afterSeq, 0), entries.size());
            int to = (int) Math.min((long) from + limit, entries.size());
            return List.copyOf(entries.subList(from, to));
        }

        @Override
        public int pruneChannelState(Instant now, int limit) {
            Map<String, StateRecord> removed = new HashMap<>();
            stateRecords.entrySet().removeIf(e -> {
                if (removed.size() < limit && e.getValue().expiredAt(now)) {
                    removed.put(e.getKey(), e.getValue());
                    return true;
                }
                return false;
            });
            onRollback(() -> stateRecords.putAll(removed));
            return removed.size();
        }

        @Override
        public void saveChoiceMap(TenantId tenant, ConversationId conversation, ChoiceMap map) {
            String k = key(tenant, conversation);
            ChoiceMap previous = choiceMaps.put(k, map);
            onRollback(() -> {
                if (previous == null) {
                    choiceMaps.remove(k);
                } else {
                    choiceMaps.put(k, previous);
                }
            });
        }

        @Override
        public Optional<ChoiceMap> choiceMap(TenantId tenant, ConversationId conversation) {
            return Optional.ofNullable(choiceMaps.get(key(tenant, conversation)));
        }

        // ---- KPI facts: serialized by the base store's lock; aggregated by KpiAggregation --------------------------

        private String kpiKey(TenantId tenant, ConversationId conversation, int cycle) {
            return tenant.value() + "\u0000" + conversation.value() + "\u0000" + String.format("%09d", cycle);
        }

        @Override
        public long kpiCheckpoint() {
            return kpiCheckpoint.getOrDefault("kpi", 0L);
        }

        @Override
        public void saveKpiCheckpoint(long seq) {
            putUndoably(kpiCheckpoint, "kpi", seq);
        }

        @Override
        public List<dev.switchboard.inbox.kpi.KpiFact> kpiFacts(TenantId tenant, ConversationId conversation) {
            String prefix = tenant.value() + "\u0000" + conversation.value() + "\u0000";
            return kpiFacts.subMap(prefix, prefix + "\uffff").values().stream().toList();
        }

        @Override
        public void saveKpiFact(dev.switchboard.inbox.kpi.KpiFact fact) {
            putUndoably(kpiFacts, kpiKey(fact.tenant(), fact.conversation(), fact.cycle()), fact);
        }

        @Override
        public List<dev.switchboard.inbox.kpi.KpiFact> kpiFactsOpened(TenantId tenant, Instant from, Instant to,
                String afterConversation, int afterCycle, int limit) {
            return kpiFacts.values().stream()
                    .filter(f -> f.tenant().equals(tenant) && !f.openedAt().isBefore(from) && f.openedAt().isBefore(to))
                    .filter(f -> f.conversation().value().compareTo(afterConversation) > 0
                            || f.conversation().value().equals(afterConversation) && f.cycle() > afterCycle)
                    .sorted(java.util.Comparator.comparing((dev.switchboard.inbox.kpi.KpiFact f) -> f.conversation()
                            .value()).thenComparingInt(dev.switchboard.inbox.kpi.KpiFact::cycle))
                    .limit(limit).toList();
        }

        @Override
        public List<dev.switchboard.inbox.kpi.KpiTotals> kpiTotals(TenantId tenant,
                dev.switchboard.inbox.kpi.KpiQuery query) {
            return dev.switchboard.inbox.kpi.KpiAggregation.aggregate(
                    kpiFacts.values().stream().filter(f -> f.tenant().equals(tenant)).toList(),
                    kpiWaits.values().stream().filter(w -> w.tenant().equals(tenant)).toList(), query);
        }

        @Override
        public void saveKpiWait(dev.switchboard.inbox.kpi.KpiWait wait) {
            putUndoably(kpiWaits, kpiKey(wait.tenant(), wait.conversation(), wait.cycle()) + "#"
                    + String.format("%010d", wait.number()), wait);
        }

        @Override
        public List<dev.switchboard.inbox.kpi.KpiWait> kpiWaits(TenantId tenant, ConversationId conversation,
                int cycle) {
            String prefix = kpiKey(tenant, conversation, cycle) + "#";
            return kpiWaits.subMap(prefix, prefix + "\uffff").values().stream().toList();
        }

        @Override
        public void relabelKpiWaits(dev.switchboard.inbox.kpi.KpiFact fact) {
            for (dev.switchboard.inbox.kpi.KpiWait w : kpiWaits(fact.tenant(), fact.conversation(), fact.cycle())) {
                saveKpiWait(w.relabeled(fact));
            }
        }

        @Override
        public List<Long> kpiHistogram(TenantId tenant, dev.switchboard.inbox.kpi.KpiQuery query,
                dev.switchboard.inbox.kpi.KpiMetric metric, List<Long> boundsMs) {
            return dev.switchboard.inbox.kpi.KpiAggregation.histogram(
                    kpiFacts.values().stream().filter(f -> f.tenant().equals(tenant)).toList(),
                    kpiWaits.values().stream().filter(w -> w.tenant().equals(tenant)).toList(), query, metric,
                    boundsMs);
        }

        // ---- SLA deadlines: serialized by the base store's lock, so a transition is a compare-and-set -----------

        private String slaKey(TenantId tenant, ConversationId conversation, SlaKind kind) {
            return key(tenant, conversation.value()) + "\u0000" + kind.name();
        }

        @Override
        public List<SlaDeadline> slaDeadlines(TenantId tenant, ConversationId conversation) {
            List<SlaDeadline> out = new ArrayList<>();
            for (SlaKind kind : SlaKind.values()) {
                SlaDeadline d = slaDeadlines.get(slaKey(tenant, conversation, kind));
                if (d != null) {
                    out.add(d);
                }
            }
            return out;
        }

        @Override
        public void saveSlaDeadline(SlaDeadline d) {
            putSla(slaKey(d.tenant(), d.conversation(), d.kind()), d);
        }

        /** Stores a deadline and keeps the fire order in step, both undone on rollback. */
        private void putSla(String k, SlaDeadline d) {
            SlaDeadline previous = slaDeadlines.get(k);
            putUndoably(slaDeadlines, k, d);
            slaFireOrder.replace(previous, d);
            onRollback(() -> slaFireOrder.replace(d, previous));
        }

        @Override
        public List<SlaDeadline> slaDeadlinesIn(TenantId tenant, Set<SlaState> states, int limit) {
            return slaDeadlines.values().stream().filter(d -> d.tenant().equals(tenant) && states.contains(d.state()))
                    .sorted(java.util.Comparator.comparing(SlaDeadline::dueAt)
                            .thenComparing(d -> d.conversation().value()).thenComparing(SlaDeadline::kind))
                    .limit(limit).toList();
        }

        @Override
        public List<SlaDeadline> dueSlaDeadlines(Instant now, int limit) {
            return slaFireOrder.due(now, limit);
        }

        @Override
        public Optional<Instant> nextSlaFire() {
            return slaFireOrder.next();
        }

        @Override
        public boolean transitionSla(SlaDeadline from, SlaDeadline to) {
            String k = slaKey(from.tenant(), from.conversation(), from.kind());
            SlaDeadline stored = slaDeadlines.get(k);
            if (!from.equals(stored)) { // exactly the row read: a stale read never applies
                return false;
            }
            putSla(k, to);
            return true;
        }

        // ---- consent ledger ----

        @Override
        public boolean keepsConsentLedger() {
            return true;
        }

        @Override
        public void appendConsentEntry(dev.switchboard.inbox.consent.ConsentEntry entry) {
            Objects.requireNonNull(entry, "entry");
            String k = key(entry.tenant(), entry.id());
            if (!consentEntryIds.add(k)) {
                throw new IllegalStateException("consent entry " + entry.id() + " already exists in tenant "
                        + entry.tenant());
            }
            consentLedger.add(entry);
            onRollback(() -> {
                consentLedger.remove(consentLedger.size() - 1);
                consentEntryIds.remove(k);
            });
        }

        @Override
        public List<dev.switchboard.inbox.consent.ConsentEntry> consentEntries(TenantId tenant,
                Set<dev.switchboard.model.CustomerId> customers) {
            return consentLedger.stream().filter(e -> e.tenant().equals(tenant) && customers.contains(e.customer()))
                    .sorted(CONSENT_ORDER).toList();
        }

        @Override
        public List<dev.switchboard.inbox.consent.ConsentEntry> consentEntriesByAccounts(TenantId tenant,
                Set<dev.switchboard.model.AccountKey> accounts) {
            return consentLedger.stream().filter(e -> e.tenant().equals(tenant) && e.account().isPresent()
                    && accounts.contains(e.account().get())).sorted(CONSENT_ORDER).toList();
        }

        // ---- campaigns ----

        @Override
        public Optional<StoredCampaign> campaign(TenantId tenant, CampaignId id) {
            return campaigns.campaign(tenant, id);
        }

        @Override
        public void saveCampaign(StoredCampaign campaign) {
            campaigns.save(campaign, this::onRollback);
        }

        @Override
        public List<StoredCampaign> campaignsIn(CampaignState state, int limit) {
            return campaigns.in(state, limit);
        }

        @Override
        public List<StoredCampaign> campaignsOf(TenantId tenant, int limit) {
            return campaigns.of(tenant, limit);
        }

        @Override
        public void recordCampaignPlatformMessage(TenantId tenant, MessageId message, String platformMessageId) {
            campaigns.recordPlatformMessage(tenant, message, platformMessageId, this::onRollback);
        }

        @Override
        public Optional<CampaignRecipient> campaignRecipientByPlatformMessage(TenantId tenant, ChannelId channel,
                                                                              String platformMessageId) {
            return campaigns.byPlatformMessage(tenant, channel, platformMessageId);
        }

        @Override
        public void forgetCampaignPlatformMessages(TenantId tenant, Set<CustomerId> customers) {
            campaigns.forgetPlatformMessages(tenant, customers, this::onRollback);
        }

        @Override
        public boolean addCampaignRecipient(CampaignRecipient recipient) {
            return campaigns.add(recipient, this::onRollback);
        }

        @Override
        public Optional<CampaignRecipient> campaignRecipient(TenantId tenant, CampaignId campaign,
                                                             CustomerId customer) {
            return campaigns.recipient(tenant, campaign, customer);
        }

        @Override
        public boolean transitionCampaignRecipient(CampaignRecipient from, CampaignRecipient to) {
            return campaigns.transition(from, to, this::onRollback);
        }

        @Override
        public List<CampaignRecipient> dueCampaignRecipients(TenantId tenant, CampaignId campaign, Instant now,
                                                             int limit) {
            return campaigns.due(tenant, campaign, now, limit);
        }

        @Override
        public List<CampaignRecipient> campaignRecipients(TenantId tenant, CampaignId campaign,
                                                          RecipientStatus status, Optional<CustomerId> after,
                                                          int limit) {
            return campaigns.inStatus(tenant, campaign, status, after, limit);
        }

        @Override
        public List<CampaignRecipient> campaignRecipientsResolvedTo(TenantId tenant, CampaignId campaign,
                                                                    CustomerId resolved) {
            return campaigns.resolvedTo(tenant, campaign, resolved);
        }

        @Override
        public Map<RecipientStatus, Long> campaignRecipientCounts(TenantId tenant, CampaignId campaign) {
            return campaigns.counts(tenant, campaign);
        }

        @Override
        public Map<SkipReason, Long> campaignSkipCounts(TenantId tenant, CampaignId campaign) {
            return campaigns.skipCounts(tenant, campaign);
        }

        // customerIds(tenant, after, limit) is inherited from InMemoryStore.Tx

        // ---- surveys, complaints, canned responses: serialized by the base store's lock ----------------------------

        @Override
        public void saveSurvey(dev.switchboard.inbox.survey.Survey survey) {
            putUndoably(surveys, key(survey.tenant(), survey.id()), survey);
        }

        @Override
        public Optional<dev.switchboard.inbox.survey.Survey> survey(TenantId tenant, String id) {
            return Optional.ofNullable(surveys.get(key(tenant, id)));
        }

        @Override
        public List<dev.switchboard.inbox.survey.Survey> surveysOfCustomer(TenantId tenant,
                dev.switchboard.model.CustomerId customer, int limit) {
            return surveys.values().stream().filter(v -> v.tenant().equals(tenant) && v.customer().equals(customer))
                    .sorted(Comparator.comparing(dev.switchboard.inbox.survey.Survey::sentAt).reversed()
                            .thenComparing(dev.switchboard.inbox.survey.Survey::id))
                    .limit(limit).toList();
        }

        @Override
        public List<dev.switchboard.inbox.survey.Survey> surveysOfConversation(TenantId tenant,
                                                                              ConversationId conversation) {
            return surveys.values().stream()
                    .filter(v -> v.tenant().equals(tenant) && v.conversation().equals(conversation))
                    .sorted(Comparator.comparing(dev.switchboard.inbox.survey.Survey::sentAt)
                            .thenComparing(dev.switchboard.inbox.survey.Survey::id))
                    .toList();
        }

        @Override
        public Optional<dev.switchboard.inbox.survey.Complaint> complaint(TenantId tenant,
                                                                          ConversationId conversation) {
            return Optional.ofNullable(complaints.get(key(tenant, conversation.value())));
        }

        @Override
        public void saveComplaint(dev.switchboard.inbox.survey.Complaint complaint) {
            putUndoably(complaints, key(complaint.tenant(), complaint.conversation().value()), complaint);
        }

        @Override
        public void saveCannedResponse(dev.switchboard.inbox.canned.CannedResponse response) {
            putUndoably(canned, key(response.tenant(), response.code()), response);
        }

        @Override
        public Optional<dev.switchboard.inbox.canned.CannedResponse> cannedResponse(TenantId tenant, String code) {
            return Optional.ofNullable(canned.get(key(tenant, code)));
        }

        @Override
        public List<dev.switchboard.inbox.canned.CannedResponse> cannedResponses(TenantId tenant) {
            return canned.values().stream().filter(r -> r.tenant().equals(tenant))
                    .sorted(Comparator.comparing(dev.switchboard.inbox.canned.CannedResponse::code)).toList();
        }

        @Override
        public boolean deleteCannedResponse(TenantId tenant, String code) {
            return removeUndoably(canned, key(tenant, code)) != null;
        }

        // ---- privacy: erasure records and the bulk erasure of one person's rows -----------------------------------

        @Override
        public Optional<ErasureRecord> erasureRecord(TenantId tenant, CustomerId customer) {
            return Optional.ofNullable(erasures.get(key(tenant, customer)));
        }

        @Override
        public void saveErasureRecord(ErasureRecord record) {
            putUndoably(erasures, key(record.tenant(), record.customer()), record);
        }

        @Override
        public List<ErasureRecord> unfinishedErasures(int limit) {
            return erasures.values().stream().filter(r -> !r.isComplete())
                    .sorted(Comparator.comparing(ErasureRecord::requestedAt)).limit(limit).toList();
        }

        @Override
        public int eraseConversations(TenantId tenant, Set<ConversationId> conversations, Set<CustomerId> customers) {
            Set<MessageId> messageIds = new java.util.HashSet<>();
            for (ConversationId c : conversations) {
                messages(tenant, c).forEach(m -> messageIds.add(m.id()));
                removeUndoably(choiceMaps, key(tenant, c));
                releaseAssignment(tenant, c);
                dequeueConversation(tenant, c);
                for (SlaKind kind : SlaKind.values()) {
                    removeUndoably(slaDeadlines, slaKey(tenant, c, kind));
                }
            }
            for (OutboxEntry e : List.copyOf(outbox.values())) {
                if (e.tenant().equals(tenant) && messageIds.contains(e.message().messageId())) {
                    outbox.remove(e.id());
                    Boolean wasPending = pending.remove(e.id());
                    onRollback(() -> {
                        outbox.put(e.id(), e);
                        if (wasPending != null) {
                            pending.put(e.id(), wasPending);
                        }
                    });
                }
            }
            // survey answers and comments, complaint marks and the consent ledger's evidence are the person's too
            for (var e : List.copyOf(surveys.entrySet())) {
                var s = e.getValue();
                if (s.tenant().equals(tenant) && (conversations.contains(s.conversation())
                        || customers.contains(s.customer()))) {
                    removeUndoably(surveys, e.getKey());
                }
            }
            for (ConversationId c : conversations) {
                removeUndoably(complaints, key(tenant, c.value()));
            }
            List<dev.switchboard.inbox.consent.ConsentEntry> ledgerBefore = List.copyOf(consentLedger);
            if (consentLedger.removeIf(e -> e.tenant().equals(tenant) && customers.contains(e.customer()))) {
                onRollback(() -> {
                    consentLedger.clear();
                    consentLedger.addAll(ledgerBefore);
                });
            }
            return super.eraseConversations(tenant, conversations, customers);
        }

        @Override
        public int scrubEvents(TenantId tenant, Set<CustomerId> customers, Set<ConversationId> conversations) {
            int changed = 0;
            for (int i = 0; i < feed.size(); i++) {
                InboxEvent e = feed.get(i);
                boolean concerns = e.tenant().equals(tenant) && (e.customer().filter(customers::contains).isPresent()
                        || e.conversation().filter(conversations::contains).isPresent());
                if (concerns && !e.attributes().isEmpty()) {
                    int at = i;
                    feed.set(i, new InboxEvent(e.seq(), e.tenant(), e.type(), e.conversation(), e.message(),
                            e.customer(), Map.of(), e.at()));
                    onRollback(() -> feed.set(at, e));
                    changed++;
                }
            }
            return changed;
        }

        @Override
        public int eraseTraces(TenantId tenant, Set<AccountKey> accounts, Set<String> identifiers) {
            int removed = 0;
            for (AccountKey a : accounts) {
                String prefix = key(tenant, a.channel());
                String id = a.platformUserId();
                for (String k : List.copyOf(stateRecords.keySet())) {
                    StateRecord r = stateRecords.get(k);
                    if (k.startsWith(prefix) && (namesAccount(r.key(), id) || r.value().contains('"' + id + '"'))) {
                        removeUndoably(stateRecords, k);
                        removed++;
                    }
                }
                for (String k : List.copyOf(stateLogs.keySet())) {
                    String log = k.substring(prefix.length(), Math.max(prefix.length(), k.length() - 1));
                    if (k.startsWith(prefix) && namesAccount(log, id)) {
                        removeUndoably(stateLogs, k);
                        removed++;
                    }
                }
                if (removeUndoably(sendPaceMarks, tenant.value() + "/" + a.channel().value() + "/" + id) != null) {
                    removed++;
                }
            }
            for (int i = quarantine.size() - 1; i >= 0; i--) {
                QuarantineEntry q = quarantine.get(i);
                String raw = new String(q.input().raw(), java.nio.charset.StandardCharsets.UTF_8);
                if (q.tenant().equals(tenant) && identifiers.stream().anyMatch(raw::contains)) {
                    int at = i;
                    quarantine.remove(i);
                    onRollback(() -> quarantine.add(at, q));
                    removed++;
                }
            }
            return removed + forgetAmbiguous(tenant, identifiers);
        }

        // ---- routing: serialized by the base store's lock, so the capacity check and the assignment are atomic ----

        private <V> void putUndoably(Map<String, V> map, String k, V value) {
            V previous = map.put(k, value);
            onRollback(() -> {
                if (previous == null) {
                    map.remove(k);
                } else {
                    map.put(k, previous);
                }
            });
        }

        private <V> V removeUndoably(Map<String, V> map, String k) {
            V previous = map.remove(k);
            if (previous != null) {
                onRollback(() -> map.put(k, previous));
            }
            return previous;
        }

        @Override
        public Optional<AgentStatus> agent(TenantId tenant, String agent) {
            return Optional.ofNullable(agents.get(key(tenant, agent)));
        }

        @Override
        public List<AgentStatus> agents(TenantId tenant) {
            String prefix = key(tenant);
            return agents.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
                    .sorted(Comparator.comparing(AgentStatus::id)).toList();
        }

        @Override
        public void saveAgent(TenantId tenant, AgentStatus agent) {
            putUndoably(agents, key(tenant, agent.id()), agent);
        }

        @Override
        public boolean deleteAgent(TenantId tenant, String agent) {
            return removeUndoably(agents, key(tenant, agent)) != null;
        }

        @Override
        public AssignOutcome assignWithinCapacity(Assignment assignment, int capacity, int channelTypeCapacity) {
            AgentStatus agent = agents.get(key(assignment.tenant(), assignment.agent()));
            if (agent == null) {
                return AssignOutcome.NO_AGENT;
            }
            String k = key(assignment.tenant(), assignment.conversation());
            if (assignments.containsKey(k)) {
                return AssignOutcome.ALREADY_ASSIGNED;
            }
            int open = 0;
            int ofType = 0;
            for (Assignment a : assignments.values()) {
                if (a.tenant().equals(assignment.tenant()) && a.agent().equals(assignment.agent())) {
                    open++;
                    if (a.channelType().equals(assignment.channelType())) {
                        ofType++;
                    }
                }
            }
            if (open >= capacity || ofType >= channelTypeCapacity) {
                return AssignOutcome.NO_CAPACITY;
            }
            putUndoably(assignments, k, assignment);
            unqueue(k);
            saveAgent(assignment.tenant(), agent.assignedAt(assignment.assignedAt()));
            return AssignOutcome.ASSIGNED;
        }

        @Override
        public Optional<Assignment> assignment(TenantId tenant, ConversationId conversation) {
            return Optional.ofNullable(assignments.get(key(tenant, conversation)));
        }

        @Override
        public List<Assignment> assignments(TenantId tenant, String agent) {
            return assignments.values().stream().filter(a -> a.tenant().equals(tenant) && a.agent().equals(agent))
                    .sorted(Comparator.comparing(Assignment::assignedAt)
                            .thenComparing(a -> a.conversation().value()))
                    .toList();
        }

        @Override
        public List<AgentLoad> agentLoads(TenantId tenant) {
            Map<String, Map<ChannelType, Integer>> counts = new HashMap<>();
            for (Assignment a : assignments.values()) {
                if (a.tenant().equals(tenant)) {
                    counts.computeIfAbsent(a.agent(), x -> new HashMap<>()).merge(a.channelType(), 1, Integer::sum);
                }
            }
            List<AgentLoad> out = new ArrayList<>();
            counts.forEach((agent, byType) -> byType.forEach((type, n) -> out.add(new AgentLoad(agent, type, n))));
            return out;
        }

        @Override
        public Optional<Assignment> releaseAssignment(TenantId tenant, ConversationId conversation) {
            return Optional.ofNullable(removeUndoably(assignments, key(tenant, conversation)));
        }

        @Override
        public boolean queueConversation(QueuedConversation conversation) {
            String k = key(conversation.tenant(), conversation.conversation());
            if (queue.containsKey(k)) {
                return false;
            }
            putUndoably(queue, k, conversation);
            queueOrder.add(conversation);
            onRollback(() -> queueOrder.remove(conversation));
            return true;
        }

        private boolean unqueue(String k) {
            QueuedConversation removed = removeUndoably(queue, k);
            if (removed != null) {
                queueOrder.remove(removed);
                onRollback(() -> queueOrder.add(removed));
            }
            return removed != null;
        }

        @Override
        public Optional<QueuedConversation> queued(TenantId tenant, ConversationId conversation) {
            return Optional.ofNullable(queue.get(key(tenant, conversation)));
        }

        @Override
        public boolean dequeueConversation(TenantId tenant, ConversationId conversation) {
            return unqueue(key(tenant, conversation));
        }

        @Override
        public List<QueuedConversation> waiting(TenantId tenant, int limit) {
            List<QueuedConversation> out = new ArrayList<>();
            for (QueuedConversation q : queueOrder.tailSet(firstOf(tenant), true)) {
                if (!q.tenant().equals(tenant) || out.size() >= limit) {
                    break;
                }
                out.add(q);
            }
            return out;
        }

        @Override
        public List<QueuedConversation> waitingAfter(TenantId tenant, QueuedConversation after, int limit) {
            List<QueuedConversation> out = new ArrayList<>();
            QueuedConversation from = new QueuedConversation(tenant, after.conversation(), after.customer(),
                    after.queue(), after.priority(), after.channelType(), after.language(), after.skills(),
                    after.waitingSince());
            for (QueuedConversation q : queueOrder.tailSet(from, false)) {
                if (!q.tenant().equals(tenant) || out.size() >= limit) {
                    break;
                }
                out.add(q);
            }
            return out;
        }

        /** A key sorting before every queued conversation of the tenant. */
        private QueuedConversation firstOf(TenantId tenant) {
            return new QueuedConversation(tenant, ConversationId.of("0"), dev.switchboard.model.CustomerId.of("0"),
                    "", dev.switchboard.model.Priority.URGENT, ChannelType.of("x"), Optional.empty(), java.util.Set.of(),
                    Instant.MIN);
        }

        @Override
        public long waitingCount(TenantId tenant) {
            return queue.values().stream().filter(q -> q.tenant().equals(tenant)).count();
        }
    }
}
