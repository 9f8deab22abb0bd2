package dev.switchboard.inbox.spi;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.state.LogEntry;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.consent.ConsentEntry;
import dev.switchboard.inbox.campaign.CampaignId;
import dev.switchboard.inbox.campaign.CampaignRecipient;
import dev.switchboard.inbox.campaign.CampaignState;
import dev.switchboard.inbox.campaign.RecipientStatus;
import dev.switchboard.inbox.campaign.SkipReason;
import dev.switchboard.inbox.campaign.StoredCampaign;
import dev.switchboard.inbox.kpi.KpiFact;
import dev.switchboard.inbox.kpi.KpiMetric;
import dev.switchboard.inbox.kpi.KpiQuery;
import dev.switchboard.inbox.kpi.KpiTotals;
import dev.switchboard.inbox.kpi.KpiWait;
import dev.switchboard.inbox.privacy.ErasureRecord;
import dev.switchboard.inbox.routing.AgentLoad;
import dev.switchboard.inbox.routing.AgentStatus;
import dev.switchboard.inbox.routing.AssignOutcome;
import dev.switchboard.inbox.routing.Assignment;
import dev.switchboard.inbox.routing.QueuedConversation;
import dev.switchboard.inbox.sla.SlaDeadline;
import dev.switchboard.inbox.sla.SlaState;
import dev.switchboard.model.AccountKey;
import dev.switchboard.inbox.sla.SlaTransition;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.ChoiceMap;
import dev.switchboard.store.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The inbox's own tables on top of the base store, in the same transaction: processed platform event ids (dedupe),
 * the outbox, the event feed, quarantine, and the numbered-reply maps of degraded choices. Not thread-safe, like
 * every {@link StoreTransaction}.
 */
public interface InboxTransaction extends StoreTransaction {

    /**
     * Records that a platform event was processed. Returns false, changing nothing, when this tenant's channel already
     * processed an event with this id (a platform retry).
     */
    boolean markProcessed(TenantId tenant, ChannelId channel, String eventId, Instant at);

    /**
     * Forgets up to {@code limit} processed event ids recorded before {@code before}, oldest first, and returns how
     * many it forgot. The inbox calls it on a schedule to keep the dedupe table at its retention
     * ({@code Inbox.Builder.processedEventRetention}); a platform redelivering an event older than that is still
     * recognised by its platform message id and quarantined as a duplicate instead of being stored twice.
     */
    int pruneProcessed(Instant before, int limit);

    /**
     * A hint that this transaction is about to handle a group of inbound events of one channel (group commit). A store
     * may load in bulk what handling them reads (their dedupe rows, platform message ids, the accounts' customers with
     * their merges, conversations and numbered-reply maps) and hold its writes back until its next query or the commit,
     * so that a group of a hundred events costs a dozen round trips instead of a dozen per event. Results must be the
     * same with or without the hint, except that a uniqueness conflict of a held-back write surfaces at that later
     * point (as {@link dev.switchboard.store.DuplicateKeyException}, and the store re-runs the transaction). The
     * default does nothing.
     */
    default void prefetchInbound(TenantId tenant, ChannelId channel, List<? extends InboundEvent> events) {
    }

    void enqueue(OutboxEntry entry);

    /**
     * Claims up to {@code limit} PENDING rows whose {@code nextAttemptAt <= now} and whose lease is free or expired,
     * oldest first, setting their lease to {@code owner} until {@code leaseUntil}. Rows claimed by a concurrent
     * transaction are skipped, never returned twice (PostgreSQL: {@code FOR UPDATE SKIP LOCKED}).
     */
    List<OutboxEntry> claimOutbox(Instant now, int limit, String owner, Instant leaseUntil);

    /** Writes a row's new state (status, attempts, next attempt, error, lease). */
    void updateOutbox(OutboxEntry entry);

    /**
     * Replaces the platform message a row sends (its rendered bubble and idempotency key) and nothing else; the outbox
     * uses it to give a row a new idempotency key before sending it again when the platform deduplicated its send
     * against another row's message. Throws {@link IllegalArgumentException} when there is no such row. Stores that
     * cannot inherit this default, which throws {@link UnsupportedOperationException}.
     */
    default void replaceOutboxMessage(String id, dev.switchboard.channel.OutboundMessage message) {
        throw new UnsupportedOperationException("this store cannot replace an outbox row's message");
    }

    Optional<OutboxEntry> outboxEntry(String id);

    /** Rows still PENDING, for monitoring and tests. */
    long pendingOutboxCount();

    /**
     * When the oldest row still PENDING was queued, empty when none is (for monitoring: the age of the backlog).
     * Stores that cannot tell inherit this default, which says none.
     */
    default Optional<Instant> oldestPendingOutbox() {
        return Optional.empty();
    }

    /**
     * Appends to the event feed and returns the event with its sequence number. Sequence numbers become visible to
     * readers in order: a reader never sees seq N+1 committed while N is still to come.
     */
    InboxEvent appendEvent(InboxEvent event);

    /** Events with {@code seq > afterSeq}, oldest first; all tenants when {@code tenant} is empty. */
    List<InboxEvent> events(Optional<TenantId> tenant, long afterSeq, int limit);

    /**
     * The highest sequence number appended so far (0 when the feed is empty): where a node that starts now begins
     * tailing the feed. The default pages through the feed; stores override it with one query.
     */
    default long lastEventSeq() {
        long last = 0;
        while (true) {
            List<InboxEvent> page = events(Optional.empty(), last, 1000);
            if (page.isEmpty()) {
                return last;
            }
            last = page.get(page.size() - 1).seq();
        }
    }

    /**
     * The send-pace mark of {@code key}: the earliest instant the next send on that schedule may start (one platform
     * account's global limit, or one recipient's). The row is locked until this transaction ends, so nodes pacing the
     * same account take turns (PostgreSQL and H2: {@code SELECT ... FOR UPDATE}); empty when no mark was saved. Only
     * called when {@link InboxStore#sharesSendPacing()} is true; the default throws.
     */
    default Optional<Instant> sendPaceMark(String key) {
        throw new UnsupportedOperationException("this store does not share send pacing");
    }

    /** Inserts or replaces the send-pace mark of {@code key}. See {@link #sendPaceMark(String)}. */
    default void saveSendPaceMark(String key, Instant mark) {
        throw new UnsupportedOperationException("this store does not share send pacing");
    }

    /** Deletes send-pace marks earlier than {@code before} (they no longer hold anything back); returns how many. */
    default int pruneSendPaceMarks(Instant before) {
        return 0;
    }

    /**
     * The channel-state record {@code key} of one tenant's channel as stored, expired or not (the caller decides what
     * an expired record means); the row stays locked until this transaction ends, so nodes writing the same key take
     * turns. Only called when {@link InboxStore#keepsChannelState()} is true; the default throws.
     */
    default Optional<StateRecord> channelStateRecord(TenantId tenant, ChannelId channel, String key) {
        throw new UnsupportedOperationException("this store does not keep channel state");
    }

    /**
     * Inserts or replaces a channel-state record. A record read as absent in this transaction is inserted, so a node
     * inserting the same key at the same time makes one of the two transactions fail on the key (and run again).
     */
    default void saveChannelStateRecord(TenantId tenant, ChannelId channel, StateRecord record) {
        throw new UnsupportedOperationException("this store does not keep channel state");
    }

    /** Deletes a channel-state record; returns whether there was one. */
    default boolean deleteChannelStateRecord(TenantId tenant, ChannelId channel, String key) {
        throw new UnsupportedOperationException("this store does not keep channel state");
    }

    /**
     * Appends to a channel-state log, under the next sequence number of that log (1 for its first entry), the value
     * {@code valueOfSeq} makes of that number. Appends to one log take turns (the log's last number is locked until
     * this transaction ends).
     */
    default LogEntry appendChannelLog(TenantId tenant, ChannelId channel, String log, LongFunction<String> valueOfSeq,
            Instant at) {
        throw new UnsupportedOperationException("this store does not keep channel state");
    }

    /** The last sequence number of a channel-state log, 0 when it has no entries. */
    default long lastChannelLogSeq(TenantId tenant, ChannelId channel, String log) {
        throw new UnsupportedOperationException("this store does not keep channel state");
    }

    /** Up to {@code limit} entries of a channel-state log after sequence number {@code afterSeq}, oldest first. */
    default List<LogEntry> channelLog(TenantId tenant, ChannelId channel, String log, long afterSeq, int limit) {
        throw new UnsupportedOperationException("this store does not keep channel state");
    }

    /** Deletes up to {@code limit} channel-state records expired at {@code now}; returns how many. */
    default int pruneChannelState(Instant now, int limit) {
        return 0;
    }

    QuarantineEntry quarantine(TenantId tenant, RejectedInput input);

    List<QuarantineEntry> quarantined(TenantId tenant, int limit);

    void saveChoiceMap(TenantId tenant, ConversationId conversation, ChoiceMap map);

    Optional<ChoiceMap> choiceMap(TenantId tenant, ConversationId conversation);

    // ---- routing (agents, assignments, the queue) ---------------------------------------------------------------
    // Stores without routing inherit these defaults, which throw; the inbox then refuses routing calls.

    /** A registered agent of the tenant, empty when none has this id. */
    default Optional<AgentStatus> agent(TenantId tenant, String agent) {
        throw noRouting();
    }

    /** The tenant's registered agents, by id. */
    default List<AgentStatus> agents(TenantId tenant) {
        throw noRouting();
    }

    /** Inserts or replaces an agent of the tenant. */
    default void saveAgent(TenantId tenant, AgentStatus agent) {
        throw noRouting();
    }

    /** Deletes an agent of the tenant (not their assignments); false when none had this id. */
    default boolean deleteAgent(TenantId tenant, String agent) {
        throw noRouting();
    }

    /**
     * The atomic check-and-assign that keeps every node within an agent's capacity. It locks the agent (concurrent
     * assignments to one agent, from any node, take turns until the holder's transaction ends), then: NO_AGENT when
     * the agent is not registered; ALREADY_ASSIGNED when the conversation has an assignment; NO_CAPACITY when the
     * agent holds {@code capacity} assignments or more, or {@code channelTypeCapacity} or more of the assignment's
     * channel type; otherwise it records the assignment, removes the conversation from the queue, sets the agent's
     * last assignment time to {@code assignment.assignedAt()} and returns ASSIGNED. Counts read after the lock must
     * see every assignment committed before it (PostgreSQL, MariaDB and H2: {@code SELECT ... FOR UPDATE} of the
     * agent row, then a read-committed count).
     */
    default AssignOutcome assignWithinCapacity(Assignment assignment, int capacity, int channelTypeCapacity) {
        throw noRouting();
    }

    /** The conversation's assignment, empty when it counts against nobody. */
    default Optional<Assignment> assignment(TenantId tenant, ConversationId conversation) {
        throw noRouting();
    }

    /** An agent's assignments, oldest first. */
    default List<Assignment> assignments(TenantId tenant, String agent) {
        throw noRouting();
    }

    /** Every agent's open assignments of the tenant counted per channel type (agents with none are left out). */
    default List<AgentLoad> agentLoads(TenantId tenant) {
        throw noRouting();
    }

    /**
     * The tenant's online agents with room for one more conversation and their loads, read by every drain round. The
     * default derives it from {@link #agents} and {@link #agentLoads}; a store overrides it when it can answer without
     * reading every agent and assignment (the JDBC store keeps a per-agent count of open assignments).
     */
    default dev.switchboard.inbox.routing.AvailableAgents availableAgents(TenantId tenant) {
        return dev.switchboard.inbox.routing.AvailableAgents.of(agents(tenant), agentLoads(tenant));
    }

    /**
     * Removes and returns the conversation's assignment (freeing the agent's capacity), empty when it had none. When
     * transactions release one assignment concurrently, only the one that removed the row returns it.
     */
    default Optional<Assignment> releaseAssignment(TenantId tenant, ConversationId conversation) {
        throw noRouting();
    }

    /** Puts a conversation in the queue unless it is there already; true when this call queued it. */
    default boolean queueConversation(QueuedConversation conversation) {
        throw noRouting();
    }

    /** The conversation's place in the queue, empty when it is not waiting. */
    default Optional<QueuedConversation> queued(TenantId tenant, ConversationId conversation) {
        throw noRouting();
    }

    /** Takes a conversation out of the queue; false when it was not in it. */
    default boolean dequeueConversation(TenantId tenant, ConversationId conversation) {
        throw noRouting();
    }

    /** The first {@code limit} waiting conversations of the tenant in {@link QueuedConversation#SERVICE_ORDER}. */
    default List<QueuedConversation> waiting(TenantId tenant, int limit) {
        throw noRouting();
    }

    /**
     * The next {@code limit} waiting conversations of the tenant after {@code after} in
     * {@link QueuedConversation#SERVICE_ORDER}: one page of the queue, so routing can read a long queue page by page.
     * This default reads the whole queue and filters it; stores override it with one keyset query.
     */
    default List<QueuedConversation> waitingAfter(TenantId tenant, QueuedConversation after, int limit) {
        return waiting(tenant, Integer.MAX_VALUE).stream()
                .filter(q -> QueuedConversation.SERVICE_ORDER.compare(q, after) > 0).limit(limit).toList();
    }

    /** How many conversations of the tenant wait in the queue. */
    default long waitingCount(TenantId tenant) {
        throw noRouting();
    }

    // ---- SLA deadlines ------------------------------------------------------------------------------------------
    // Stores without SLA support inherit these defaults, which throw; the inbox then refuses SLA calls.

    /** The conversation's stored deadlines, one per kind at most. */
    default List<SlaDeadline> slaDeadlines(TenantId tenant, ConversationId conversation) {
        throw noSla();
    }

    /** Inserts or replaces the deadline of its (tenant, conversation, kind). */
    default void saveSlaDeadline(SlaDeadline deadline) {
        throw noSla();
    }

    /**
     * Inserts the deadline only if its (tenant, conversation, kind) has none yet; true when this call inserted it.
     * Two evaluations that both found no deadline race here, and the loser evaluates again instead of overwriting a
     * deadline the timer may already have moved on (which would publish its warning or breach a second time). The
     * default checks and saves, which is right for stores that serialize their transactions.
     */
    default boolean insertSlaDeadline(SlaDeadline deadline) {
        if (slaDeadlines(deadline.tenant(), deadline.conversation()).stream()
                .anyMatch(d -> d.kind() == deadline.kind())) {
            return false;
        }
        saveSlaDeadline(deadline);
        return true;
    }

    /** The tenant's deadlines in any of {@code states}, earliest due first, at most {@code limit}. */
    default List<SlaDeadline> slaDeadlinesIn(TenantId tenant, Set<SlaState> states, int limit) {
        throw noSla();
    }

    /**
     * Up to {@code limit} deadlines of any tenant whose {@link SlaDeadline#nextFire()} is at or before {@code now},
     * earliest first. Stores that can lock them skip rows another transaction holds ({@code FOR UPDATE SKIP LOCKED}),
     * so nodes claiming at once share the work; correctness never depends on it: see {@link #transitionSla}.
     */
    default List<SlaDeadline> dueSlaDeadlines(Instant now, int limit) {
        throw noSla();
    }

    /** The earliest {@link SlaDeadline#nextFire()} of any running deadline, empty when none runs. */
    default Optional<Instant> nextSlaFire() {
        throw noSla();
    }

    /**
     * Replaces {@code from} by {@code to} only if the stored row is still exactly {@code from}, every field equal (a
     * conditional update; {@code from} is a row this store returned); true when this call changed it. Concurrent
     * transitions of one deadline from any node: at most one returns true, so its event is published exactly once,
     * and a transition computed from a stale read never applies, even when the row's state and due time came back.
     */
    default boolean transitionSla(SlaDeadline from, SlaDeadline to) {
        throw noSla();
    }

    // ---- consent ledger -----------------------------------------------------------------------------------------
    // Stores without a consent ledger inherit these defaults; the inbox then records nothing automatically and
    // refuses consent calls.

    /** Whether this store keeps the consent ledger (the other consent methods work). */
    default boolean keepsConsentLedger() {
        return false;
    }

    /** Appends one entry; entries are never changed or deleted. */
    default void appendConsentEntry(ConsentEntry entry) {
        throw noConsent();
    }

    /** The tenant's entries recorded for any of {@code customers}, oldest first (by time, then id). */
    default List<ConsentEntry> consentEntries(TenantId tenant, Set<CustomerId> customers) {
        throw noConsent();
    }

    /** The tenant's entries recorded through any of {@code accounts}, oldest first (by time, then id). */
    default List<ConsentEntry> consentEntriesByAccounts(TenantId tenant, Set<AccountKey> accounts) {
        throw noConsent();
    }

    private static UnsupportedOperationException noConsent() {
        return new UnsupportedOperationException("this store does not keep a consent ledger");
    }

    // ---- campaigns ----------------------------------------------------------------------------------------------
    // Stores without campaigns inherit these defaults, which throw; the inbox then refuses campaign calls.

    /** The tenant's campaign with this id, empty when there is none. */
    default Optional<StoredCampaign> campaign(TenantId tenant, CampaignId id) {
        throw noCampaigns();
    }

    /** Inserts or replaces a campaign (by tenant and id). */
    default void saveCampaign(StoredCampaign campaign) {
        throw noCampaigns();
    }

    /** Up to {@code limit} campaigns of any tenant in {@code state}, oldest first (the worker's list). */
    default List<StoredCampaign> campaignsIn(CampaignState state, int limit) {
        throw noCampaigns();
    }

    /** Up to {@code limit} campaigns of {@code tenant} in any state, newest first (created, then id). */
    default List<StoredCampaign> campaignsOf(TenantId tenant, int limit) {
        throw noCampaigns();
    }

    /** Inserts a recipient unless the campaign already has one for its customer id; true when this call inserted it. */
    default boolean addCampaignRecipient(CampaignRecipient recipient) {
        throw noCampaigns();
    }

    /** One recipient of a campaign, by the customer id the audience named. */
    default Optional<CampaignRecipient> campaignRecipient(TenantId tenant, CampaignId campaign, CustomerId customer) {
        throw noCampaigns();
    }

    /**
     * Replaces {@code from} by {@code to} only if the stored row still has {@code from}'s status (a conditional
     * update); true when this call changed it. Nodes handling one recipient at once: at most one wins, so at most one
     * queues its message.
     */
    default boolean transitionCampaignRecipient(CampaignRecipient from, CampaignRecipient to) {
        throw noCampaigns();
    }

    /**
     * Up to {@code limit} recipients of a campaign still to handle ({@code PENDING}, or {@code DEFERRED} with
     * {@code notBefore <= now}), by {@code notBefore} then customer id.
     */
    default List<CampaignRecipient> dueCampaignRecipients(TenantId tenant, CampaignId campaign, Instant now,
                                                          int limit) {
        throw noCampaigns();
    }

    /** Up to {@code limit} recipients of a campaign in {@code status} with a customer id after {@code after}, by id. */
    default List<CampaignRecipient> campaignRecipients(TenantId tenant, CampaignId campaign, RecipientStatus status,
                                                       Optional<CustomerId> after, int limit) {
        throw noCampaigns();
    }

    /** The campaign's recipients already handled for this resolved (canonical) customer. */
    default List<CampaignRecipient> campaignRecipientsResolvedTo(TenantId tenant, CampaignId campaign,
                                                                 CustomerId resolved) {
        throw noCampaigns();
    }

    /** How many recipients of the campaign are in each status (statuses with none are left out). */
    default Map<RecipientStatus, Long> campaignRecipientCounts(TenantId tenant, CampaignId campaign) {
        throw noCampaigns();
    }

    /** How many skipped recipients of the campaign have each reason (reasons with none are left out). */
    default Map<SkipReason, Long> campaignSkipCounts(TenantId tenant, CampaignId campaign) {
        throw noCampaigns();
    }

    /**
     * Up to {@code limit} ids of the tenant's customers that are not merged into another, after {@code after}, by id:
     * how a segment audience pages through the customers.
     */
    default List<CustomerId> customerIds(TenantId tenant, Optional<CustomerId> after, int limit) {
        throw noCampaigns();
    }

    /**
     * Remembers the platform's id of a sent campaign message (of the recipient whose outbox message is
     * {@code message}; the latest part's id for a message in several parts), so a delivery receipt that names it
     * finds the recipient. Nothing happens when no recipient has that message. The default does nothing: a store
     * without campaigns has no campaign messages.
     */
    default void recordCampaignPlatformMessage(TenantId tenant, dev.switchboard.model.MessageId message,
                                               String platformMessageId) {
    }

    /**
     * The campaign recipient whose message the platform knows as {@code platformMessageId} on {@code channel} (see
     * {@link #recordCampaignPlatformMessage}); empty when none. The default finds none.
     */
    default Optional<CampaignRecipient> campaignRecipientByPlatformMessage(TenantId tenant, ChannelId channel,
                                                                           String platformMessageId) {
        return Optional.empty();
    }

    /**
     * Forgets the platform message ids of the campaign messages sent to any of {@code customers} (the recipients
     * resolved to them or named as them): an erasure does it, as a platform's id may name the person's chat.
     * The default does nothing.
     */
    default void forgetCampaignPlatformMessages(TenantId tenant, Set<CustomerId> customers) {
    }

    private static UnsupportedOperationException noCampaigns() {
        return new UnsupportedOperationException("this store does not support campaigns");
    }

    // ---- surveys, complaints and canned responses --------------------------------------------------------------
    // Stores without them inherit these defaults, which throw; the inbox then refuses survey, complaint and canned
    // response calls (a tenant with no survey policy never touches them).

    /** Inserts or replaces the survey of its (tenant, id). */
    default void saveSurvey(dev.switchboard.inbox.survey.Survey survey) {
        throw noSurveys();
    }

    /** The tenant's survey with this id. */
    default Optional<dev.switchboard.inbox.survey.Survey> survey(TenantId tenant, String id) {
        throw noSurveys();
    }

    /** The surveys sent to a customer of the tenant, newest first, at most {@code limit}. */
    default List<dev.switchboard.inbox.survey.Survey> surveysOfCustomer(TenantId tenant,
            dev.switchboard.model.CustomerId customer, int limit) {
        throw noSurveys();
    }

    /** The surveys of a conversation of the tenant, oldest first. */
    default List<dev.switchboard.inbox.survey.Survey> surveysOfConversation(TenantId tenant,
            ConversationId conversation) {
        throw noSurveys();
    }

    /** The conversation's complaint mark, empty when it was never marked. */
    default Optional<dev.switchboard.inbox.survey.Complaint> complaint(TenantId tenant, ConversationId conversation) {
        throw noSurveys();
    }

    /** Inserts or replaces the complaint mark of its (tenant, conversation). */
    default void saveComplaint(dev.switchboard.inbox.survey.Complaint complaint) {
        throw noSurveys();
    }

    /** Inserts or replaces the canned response of its (tenant, code). */
    default void saveCannedResponse(dev.switchboard.inbox.canned.CannedResponse response) {
        throw noSurveys();
    }

    /** The tenant's canned response with this code. */
    default Optional<dev.switchboard.inbox.canned.CannedResponse> cannedResponse(TenantId tenant, String code) {
        throw noSurveys();
    }

    /** The tenant's canned responses, by code. */
    default List<dev.switchboard.inbox.canned.CannedResponse> cannedResponses(TenantId tenant) {
        throw noSurveys();
    }

    /** Deletes a canned response; false when the tenant had none with this code. */
    default boolean deleteCannedResponse(TenantId tenant, String code) {
        throw noSurveys();
    }

    private static UnsupportedOperationException noSurveys() {
        return new UnsupportedOperationException(
                "this store does not support surveys, complaints and canned responses");
    }

    // ---- KPI facts ----------------------------------------------------------------------------------------------
    // Stores without KPI support inherit these defaults, which throw; the inbox then refuses KPI calls.

    /**
     * The feed position the KPI facts are projected up to (0 when nothing was projected), locked until this
     * transaction ends, so projectors on several nodes take turns and each event is projected once.
     */
    default long kpiCheckpoint() {
        throw noKpis();
    }

    /** Stores the feed position the KPI facts are projected up to. */
    default void saveKpiCheckpoint(long seq) {
        throw noKpis();
    }

    /** The KPI facts of a conversation's cycles, first cycle first. */
    default List<KpiFact> kpiFacts(TenantId tenant, ConversationId conversation) {
        throw noKpis();
    }

    /** Inserts or replaces the fact of its (tenant, conversation, cycle). */
    default void saveKpiFact(KpiFact fact) {
        throw noKpis();
    }

    /**
     * Up to {@code limit} facts of the tenant whose cycle opened in [{@code from}, {@code to}), ordered by
     * conversation id then cycle, after the cycle ({@code afterConversation}, {@code afterCycle}) (pass {@code ""}
     * and 0 to start).
     */
    default List<KpiFact> kpiFactsOpened(TenantId tenant, Instant from, Instant to, String afterConversation,
            int afterCycle, int limit) {
        throw noKpis();
    }

    /**
     * The tenant's facts (and their next-response waits, {@link KpiTotals#nextResponse()}) aggregated for
     * {@code query}: one entry per group (and period) with at least one fact; for a query without grouping and period
     * exactly one entry. SQL stores aggregate in the database;
     * {@link dev.switchboard.inbox.kpi.KpiAggregation} gives the exact semantics.
     */
    default List<KpiTotals> kpiTotals(TenantId tenant, KpiQuery query) {
        throw noKpis();
    }

    /**
     * The overall totals of {@code query}'s range first (as {@code kpiTotals(tenant, query.totals())}), then its
     * groups (as {@code kpiTotals(tenant, query)}, none when the query has neither grouping nor period). The default
     * runs both; a store may answer with one pass (PostgreSQL: {@code GROUPING SETS}).
     */
    default List<KpiTotals> kpiOverallAndGroups(TenantId tenant, KpiQuery query) {
        List<KpiTotals> out = new java.util.ArrayList<>(kpiTotals(tenant, query.totals()));
        if (!query.groupBy().isEmpty() || query.period().isPresent()) {
            out.addAll(kpiTotals(tenant, query));
        }
        return out;
    }

    /** Inserts or replaces one next-response wait of a cycle (key: tenant, conversation, cycle, number). */
    default void saveKpiWait(KpiWait wait) {
        throw noKpis();
    }

    /** The next-response waits of one cycle, first wait first. */
    default List<KpiWait> kpiWaits(TenantId tenant, ConversationId conversation, int cycle) {
        throw noKpis();
    }

    /**
     * Gives the waits of {@code fact}'s cycle the fact's group and period keys (channel, agent, team, priority, SLA
     * policy, opened day/week/month), so waits group exactly as their cycle does.
     */
    default void relabelKpiWaits(KpiFact fact) {
        throw noKpis();
    }

    /**
     * How many of the tenant's durations of {@code metric} in {@code query}'s range and basis fall in each bucket of
     * {@code boundsMs} (strictly increasing): {@code boundsMs.size() + 1} counts, bucket {@code i} holding the values
     * {@code v} with {@code boundsMs[i-1] <= v < boundsMs[i]}. SQL stores count with one {@code GROUP BY}; the
     * query's grouping and period are not used. {@link dev.switchboard.inbox.kpi.KpiAggregation} gives the semantics.
     */
    default List<Long> kpiHistogram(TenantId tenant, KpiQuery query, KpiMetric metric, List<Long> boundsMs) {
        throw noKpis();
    }

    private static UnsupportedOperationException noKpis() {
        return new UnsupportedOperationException("this store does not keep KPI facts");
    }

    // ---- privacy: erasure records and the bulk erasure of one person's rows ----------------------------------------
    // Stores without erasure support inherit these defaults, which throw; the inbox then refuses erasure calls.

    /** The erasure record of a customer (the id an erasure was asked for), empty when none was asked. */
    default Optional<ErasureRecord> erasureRecord(TenantId tenant, CustomerId customer) {
        throw noPrivacy();
    }

    /** Inserts or replaces the erasure record of its (tenant, customer). */
    default void saveErasureRecord(ErasureRecord record) {
        throw noPrivacy();
    }

    /** Up to {@code limit} erasure records of any tenant that are not complete, oldest request first. */
    default List<ErasureRecord> unfinishedErasures(int limit) {
        throw noPrivacy();
    }

    /**
     * Deletes the tenant's conversations {@code conversations} and every message in them or of {@code customers},
     * with the outbox rows of those messages and what hangs on the conversations (numbered-reply maps, assignments,
     * queue entries, SLA deadlines); returns how many messages it deleted. Deleting what is already gone is no error.
     */
    default int eraseConversations(TenantId tenant, Set<ConversationId> conversations, Set<CustomerId> customers) {
        throw noPrivacy();
    }

    /**
     * Empties the attributes of the tenant's feed events that concern any of {@code customers} or
     * {@code conversations} (they may hold account ids, payloads, reasons); the events keep their type, ids and time.
     * Returns how many events it changed.
     */
    default int scrubEvents(TenantId tenant, Set<CustomerId> customers, Set<ConversationId> conversations) {
        throw noPrivacy();
    }

    /**
     * Deletes what channels and the inbox keep about these accounts outside customers and messages: channel-state
     * records and logs whose key names the account's platform user id (a website chat's session, history and upload
     * quota) or whose value quotes it, the accounts' send-pace marks, quarantined input whose raw bytes contain any of
     * {@code identifiers}, and the ambiguous-contact marks of the contact points among them. Returns how many rows it
     * deleted.
     */
    default int eraseTraces(TenantId tenant, Set<AccountKey> accounts, Set<String> identifiers) {
        throw noPrivacy();
    }

    /**
     * Applies each transition as {@link #transitionSla(SlaDeadline, SlaDeadline)} does, in order, and returns one
     * flag per transition: true when this call changed that row. The timer publishes a batch of due deadlines with it,
     * so a store can send all the conditional updates at once (a JDBC batch) instead of one round trip each; the
     * guarantee is the same per row (of racing transactions from any node, at most one wins a row). The default loops
     * over the single transition.
     */
    default List<Boolean> transitionSla(List<SlaTransition> transitions) {
        List<Boolean> changed = new ArrayList<>(transitions.size());
        for (SlaTransition t : transitions) {
            changed.add(transitionSla(t.from(), t.to()));
        }
        return changed;
    }

    /**
     * The tenant's conversations with these ids, keyed by id; ids the tenant has no conversation for are absent. The
     * SLA timer reads the conversations of a published batch with it; a store can read them in one statement. The
     * default reads them one by one with {@link #conversation}.
     */
    default Map<ConversationId, Conversation> conversationsById(TenantId tenant, Collection<ConversationId> ids) {
        Map<ConversationId, Conversation> found = new LinkedHashMap<>();
        for (ConversationId id : ids) {
            conversation(tenant, id).ifPresent(c -> found.put(id, c));
        }
        return found;
    }

    private static UnsupportedOperationException noSla() {
        return new UnsupportedOperationException("this store does not support SLA deadlines");
    }

    private static UnsupportedOperationException noPrivacy() {
        return new UnsupportedOperationException("this store does not support erasure");
    }

    private static UnsupportedOperationException noRouting() {
        return new UnsupportedOperationException("this store does not support routing (agents and assignments)");
    }
}
