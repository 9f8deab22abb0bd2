package dev.switchboard.inbox.jdbc;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.state.LogEntry;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.identity.IndexedName;
import dev.switchboard.identity.MergeId;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.identity.SuggestionId;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.campaign.CampaignId;
import dev.switchboard.inbox.campaign.CampaignRecipient;
import dev.switchboard.inbox.campaign.CampaignState;
import dev.switchboard.inbox.campaign.RecipientStatus;
import dev.switchboard.inbox.campaign.SkipReason;
import dev.switchboard.inbox.campaign.StoredCampaign;
import dev.switchboard.inbox.privacy.ErasureRecord;
import dev.switchboard.inbox.routing.AgentLoad;
import dev.switchboard.inbox.routing.AgentStatus;
import dev.switchboard.inbox.routing.AssignOutcome;
import dev.switchboard.inbox.routing.Assignment;
import dev.switchboard.inbox.routing.QueuedConversation;
import dev.switchboard.inbox.sla.SlaDeadline;
import dev.switchboard.inbox.sla.SlaState;
import dev.switchboard.inbox.sla.SlaTransition;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.inbox.spi.QuarantineEntry;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.ChoiceMap;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.store.DuplicateKeyException;
import dev.switchboard.store.Page;
import dev.switchboard.store.PageRequest;
import java.sql.Connection;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * One {@link InboxTransaction} on one JDBC connection (autocommit off), created and committed by
 * {@link JdbcInboxStore#inTransaction}. It hands each part of the SPI to the class for that table group:
 * {@link CustomerRows} (customers and identity), {@link ConversationRows}, {@link MessageRows}, {@link InboxTables}
 * (dedupe, outbox, event feed, quarantine, send pacing) and {@link IngestPrefetch} (bulk reads of a group of inbound
 * events), which share the transaction's {@link JdbcStatements} and {@link HeldWrites}. Aggregates are read back from
 * their JSON bodies; the columns next to them are the indexes the SPI queries by. Not thread-safe, like the connection
 * under it.
 */
final class JdbcInboxTransaction implements InboxTransaction {
    private final JdbcStatements jdbc;
    private final HeldWrites held;
    private final CustomerRows customers;
    private final ConversationRows conversations;
    private final MessageRows messages;
    private final InboxTables inbox;
    private final IngestPrefetch prefetch;
    private final ChannelStateRows channelState;
    private final RoutingRows routing;
    private final SlaRows sla;
    private final ConsentRows consent;
    private final CampaignRows campaigns;
    private final SatisfactionRows satisfaction;
    private final KpiRows kpi;
    private final PrivacyRows privacy;

    JdbcInboxTransaction(Connection connection, Dialect dialect, JsonCodec json, StoreSql sql) {
        this.jdbc = new JdbcStatements(connection, dialect);
        this.held = new HeldWrites(jdbc, sql, json);
        jdbc.beforeStatement(held::flush);
        this.customers = new CustomerRows(jdbc, sql.customers(), json, held);
        this.conversations = new ConversationRows(jdbc, sql.conversations(), json, held);
        this.messages = new MessageRows(jdbc, sql.messages(), json, held);
        this.inbox = new InboxTables(jdbc, sql.inbox(), json, held);
        this.prefetch = new IngestPrefetch(jdbc, sql, json, held, customers);
        this.channelState = new ChannelStateRows(jdbc, sql.channelState());
        this.routing = new RoutingRows(jdbc, sql.routing());
        this.sla = new SlaRows(jdbc, sql.sla());
        this.consent = new ConsentRows(jdbc, sql.consent());
        this.campaigns = new CampaignRows(jdbc, sql.campaigns(), json);
        this.satisfaction = new SatisfactionRows(jdbc, sql.satisfaction());
        this.kpi = new KpiRows(jdbc, sql.kpi());
        this.privacy = new PrivacyRows(jdbc, sql.privacy());
    }

    /** A violation the work may have swallowed but that left a PostgreSQL transaction unusable. */
    Optional<DuplicateKeyException> poison() {
        return jdbc.poison();
    }

    /** Everything this transaction held back, then the event feed; called by the store right before commit. */
    void beforeCommit() {
        held.flush();
        inbox.flushEvents();
    }

    // ---- customers and identity ---------------------------------------------------------------------------------

    @Override
    public Optional<Customer> customer(TenantId tenant, CustomerId id) {
        return customers.customer(tenant, id);
    }

    @Override
    public void saveCustomer(Customer customer) {
        customers.saveCustomer(customer);
    }

    @Override
    public Optional<CustomerId> customerByAccount(AccountKey account) {
        return customers.customerByAccount(account);
    }

    @Override
    public Set<CustomerId> customersByContact(TenantId tenant, ContactPoint point) {
        return customers.customersByContact(tenant, point, Integer.MAX_VALUE);
    }

    @Override
    public Set<CustomerId> customersByContact(TenantId tenant, ContactPoint point, int limit) {
        return customers.customersByContact(tenant, point, limit);
    }

    @Override
    public void saveNameKeys(TenantId tenant, CustomerId customer, Set<String> keys) {
        customers.saveNameKeys(tenant, customer, keys);
    }

    @Override
    public Set<CustomerId> customersByNameKey(TenantId tenant, String key) {
        return customers.customersByNameKey(tenant, key);
    }

    @Override
    public List<IndexedName> indexedNames(TenantId tenant, String key) {
        return customers.indexedNames(tenant, key);
    }

    @Override
    public void saveMerge(MergeRecord record) {
        customers.saveMerge(record);
    }

    @Override
    public Optional<MergeRecord> merge(TenantId tenant, MergeId id) {
        return customers.merge(tenant, id);
    }

    @Override
    public List<MergeRecord> mergesOf(TenantId tenant, CustomerId customer) {
        return customers.mergesOf(tenant, customer);
    }

    @Override
    public void saveSuggestion(MergeSuggestion s) {
        customers.saveSuggestion(s);
    }

    @Override
    public Optional<MergeSuggestion> suggestion(TenantId tenant, SuggestionId id) {
        return customers.suggestion(tenant, id);
    }

    @Override
    public List<MergeSuggestion> suggestionsOf(TenantId tenant, CustomerId customer) {
        return customers.suggestionsOf(tenant, customer);
    }

    @Override
    public List<MergeSuggestion> openSuggestions(TenantId tenant, int limit) {
        return customers.openSuggestions(tenant, limit);
    }

    @Override
    public void markDistinct(TenantId tenant, CustomerId a, CustomerId b) {
        customers.markDistinct(tenant, a, b);
    }

    @Override
    public boolean areDistinct(TenantId tenant, CustomerId a, CustomerId b) {
        return customers.areDistinct(tenant, a, b);
    }

    @Override
    public void markAmbiguous(TenantId tenant, ContactPoint point) {
        customers.markAmbiguous(tenant, point);
    }

    @Override
    public boolean isAmbiguous(TenantId tenant, ContactPoint point) {
        return customers.isAmbiguous(tenant, point);
    }

    // ---- conversations ------------------------------------------------------------------------------------------

    @Override
    public Optional<Conversation> conversation(TenantId tenant, ConversationId id) {
        return conversations.conversation(tenant, id);
    }

    @Override
    public void saveConversation(Conversation c) {
        conversations.saveConversation(c);
    }

    @Override
    public List<Conversation> conversationsOf(TenantId tenant, Set<CustomerId> customerIds) {
        return conversations.conversationsOf(tenant, customerIds);
    }

    @Override
    public Page<Conversation> conversations(ConversationQuery query) {
        return conversations.conversations(query);
    }

    @Override
    public void saveChoiceMap(TenantId tenant, ConversationId conversation, ChoiceMap map) {
        conversations.saveChoiceMap(tenant, conversation, map);
    }

    @Override
    public Optional<ChoiceMap> choiceMap(TenantId tenant, ConversationId conversation) {
        return conversations.choiceMap(tenant, conversation);
    }

    // ---- messages -----------------------------------------------------------------------------------------------

    @Override
    public void saveMessage(Message m) {
        messages.saveMessage(m);
    }

    @Override
    public Optional<Message> message(TenantId tenant, MessageId id) {
        return messages.message(tenant, id);
    }

    @Override
    public Optional<Message> messageByPlatformId(TenantId tenant, ChannelId channel, String platformMessageId) {
        return messages.messageByPlatformId(tenant, channel, platformMessageId);
    }

    @Override
    public List<Message> messages(TenantId tenant, ConversationId conversation) {
        return messages.messages(tenant, conversation);
    }

    @Override
    public Page<Message> timeline(TenantId tenant, Set<CustomerId> customerIds, PageRequest page) {
        return messages.timeline(tenant, customerIds, page);
    }

    // ---- group-committed ingest ---------------------------------------------------------------------------------

    @Override
    public void prefetchInbound(TenantId tenant, ChannelId channel, List<? extends InboundEvent> events) {
        prefetch.prefetchInbound(tenant, channel, events);
    }

    // ---- inbox tables -------------------------------------------------------------------------------------------

    @Override
    public boolean markProcessed(TenantId tenant, ChannelId channel, String eventId, Instant at) {
        return inbox.markProcessed(tenant, channel, eventId, at);
    }

    @Override
    public int pruneProcessed(Instant before, int limit) {
        return inbox.pruneProcessed(before, limit);
    }

    @Override
    public void enqueue(OutboxEntry e) {
        inbox.enqueue(e);
    }

    @Override
    public List<OutboxEntry> claimOutbox(Instant now, int limit, String owner, Instant leaseUntil) {
        return inbox.claimOutbox(now, limit, owner, leaseUntil);
    }

    @Override
    public void updateOutbox(OutboxEntry e) {
        inbox.updateOutbox(e);
    }

    @Override
    public Optional<OutboxEntry> outboxEntry(String id) {
        return inbox.outboxEntry(id);
    }

    @Override
    public void replaceOutboxMessage(String id, dev.switchboard.channel.OutboundMessage message) {
        inbox.replaceOutboxMessage(id, message);
    }

    @Override
    public long pendingOutboxCount() {
        return inbox.pendingOutboxCount();
    }

    @Override
    public Optional<Instant> oldestPendingOutbox() {
        return inbox.oldestPendingOutbox();
    }

    @Override
    public InboxEvent appendEvent(InboxEvent e) {
        return inbox.appendEvent(e);
    }

    @Override
    public List<InboxEvent> events(Optional<TenantId> tenant, long afterSeq, int limit) {
        return inbox.events(tenant, afterSeq, limit);
    }

    @Override
    public long lastEventSeq() {
        return inbox.lastEventSeq();
    }

    @Override
    public QuarantineEntry quarantine(TenantId tenant, RejectedInput input) {
        return inbox.quarantine(tenant, input);
    }

    @Override
    public List<QuarantineEntry> quarantined(TenantId tenant, int limit) {
        return inbox.quarantined(tenant, limit);
    }

    @Override
    public Optional<Instant> sendPaceMark(String key) {
        return inbox.sendPaceMark(key);
    }

    @Override
    public void saveSendPaceMark(String key, Instant mark) {
        inbox.saveSendPaceMark(key, mark);
    }

    @Override
    public int pruneSendPaceMarks(Instant before) {
        return inbox.pruneSendPaceMarks(before);
    }

    // ---- channel state ------------------------------------------------------------------------------------------

    @Override
    public Optional<StateRecord> channelStateRecord(TenantId tenant, ChannelId channel, String key) {
        return channelState.record(tenant, channel, key);
    }

    @Override
    public void saveChannelStateRecord(TenantId tenant, ChannelId channel, StateRecord record) {
        channelState.save(tenant, channel, record);
    }

    @Override
    public boolean deleteChannelStateRecord(TenantId tenant, ChannelId channel, String key) {
        return channelState.delete(tenant, channel, key);
    }

    @Override
    public LogEntry appendChannelLog(TenantId tenant, ChannelId channel, String log, LongFunction<String> valueOfSeq,
            Instant at) {
        return channelState.append(tenant, channel, log, valueOfSeq, at);
    }

    @Override
    public long lastChannelLogSeq(TenantId tenant, ChannelId channel, String log) {
        return channelState.lastSeq(tenant, channel, log);
    }

    @Override
    public List<LogEntry> channelLog(TenantId tenant, ChannelId channel, String log, long afterSeq, int limit) {
        return channelState.read(tenant, channel, log, afterSeq, limit);
    }

    @Override
    public int pruneChannelState(Instant now, int limit) {
        return channelState.pruneExpired(now, limit);
    }

    // ---- routing ------------------------------------------------------------------------------------------------

    @Override
    public Optional<AgentStatus> agent(TenantId tenant, String agent) {
        return routing.agent(tenant, agent);
    }

    @Override
    public List<AgentStatus> agents(TenantId tenant) {
        return routing.agents(tenant);
    }

    @Override
    public void saveAgent(TenantId tenant, AgentStatus agent) {
        routing.saveAgent(tenant, agent);
    }

    @Override
    public boolean deleteAgent(TenantId tenant, String agent) {
        return routing.deleteAgent(tenant, agent);
    }

    @Override
    public AssignOutcome assignWithinCapacity(Assignment assignment, int capacity, int channelTypeCapacity) {
        return routing.assignWithinCapacity(assignment, capacity, channelTypeCapacity);
    }

    @Override
    public Optional<Assignment> assignment(TenantId tenant, ConversationId conversation) {
        return routing.assignment(tenant, conversation);
    }

    @Override
    public List<Assignment> assignments(TenantId tenant, String agent) {
        return routing.assignments(tenant, agent);
    }

    @Override
    public List<AgentLoad> agentLoads(TenantId tenant) {
        return routing.agentLoads(tenant);
    }

    @Override
    public dev.switchboard.inbox.routing.AvailableAgents availableAgents(TenantId tenant) {
        return routing.availableAgents(tenant);
    }

    @Override
    public Optional<Assignment> releaseAssignment(TenantId tenant, ConversationId conversation) {
        return routing.releaseAssignment(tenant, conversation);
    }

    @Override
    public boolean queueConversation(QueuedConversation conversation) {
        return routing.queueConversation(conversation);
    }

    @Override
    public Optional<QueuedConversation> queued(TenantId tenant, ConversationId conversation) {
        return routing.queued(tenant, conversation);
    }

    @Override
    public boolean dequeueConversation(TenantId tenant, ConversationId conversation) {
        return routing.dequeueConversation(tenant, conversation);
    }

    @Override
    public List<QueuedConversation> waiting(TenantId tenant, int limit) {
        return routing.waiting(tenant, limit);
    }

    @Override
    public List<QueuedConversation> waitingAfter(TenantId tenant, QueuedConversation after, int limit) {
        return routing.waitingAfter(tenant, after, limit);
    }

    @Override
    public long waitingCount(TenantId tenant) {
        return routing.waitingCount(tenant);
    }

    // ---- SLA deadlines ------------------------------------------------------------------------------------------

    @Override
    public List<SlaDeadline> slaDeadlines(TenantId tenant, ConversationId conversation) {
        return sla.ofConversation(tenant, conversation);
    }

    @Override
    public void saveSlaDeadline(SlaDeadline deadline) {
        sla.save(deadline);
    }

    @Override
    public boolean insertSlaDeadline(SlaDeadline deadline) {
        return sla.insert(deadline);
    }

    @Override
    public List<SlaDeadline> slaDeadlinesIn(TenantId tenant, Set<SlaState> states, int limit) {
        return sla.inStates(tenant, states, limit);
    }

    @Override
    public List<SlaDeadline> dueSlaDeadlines(Instant now, int limit) {
        return sla.due(now, limit);
    }

    @Override
    public Optional<Instant> nextSlaFire() {
        return sla.nextFire();
    }

    @Override
    public boolean transitionSla(SlaDeadline from, SlaDeadline to) {
        return sla.transition(from, to);
    }

    // ---- consent ledger ----------------------------------------------------------------------------------------

    @Override
    public boolean keepsConsentLedger() {
        return true;
    }

    @Override
    public void appendConsentEntry(dev.switchboard.inbox.consent.ConsentEntry entry) {
        consent.append(entry);
    }

    @Override
    public List<dev.switchboard.inbox.consent.ConsentEntry> consentEntries(TenantId tenant,
                                                                            Set<CustomerId> customers) {
        return consent.ofCustomers(tenant, customers);
    }

    @Override
    public List<dev.switchboard.inbox.consent.ConsentEntry> consentEntriesByAccounts(TenantId tenant,
                                                                                      Set<AccountKey> accounts) {
        return consent.ofAccounts(tenant, accounts);
    }

    // ---- campaigns ----------------------------------------------------------------------------------------------

    @Override
    public Optional<StoredCampaign> campaign(TenantId tenant, CampaignId id) {
        return campaigns.campaign(tenant, id);
    }

    @Override
    public void saveCampaign(StoredCampaign campaign) {
        campaigns.save(campaign);
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
        campaigns.recordPlatformMessage(tenant, message, platformMessageId);
    }

    @Override
    public Optional<CampaignRecipient> campaignRecipientByPlatformMessage(TenantId tenant, ChannelId channel,
                                                                          String platformMessageId) {
        return campaigns.byPlatformMessage(tenant, channel, platformMessageId);
    }

    @Override
    public void forgetCampaignPlatformMessages(TenantId tenant, Set<CustomerId> customers) {
        campaigns.forgetPlatformMessages(tenant, customers);
    }

    @Override
    public boolean addCampaignRecipient(CampaignRecipient recipient) {
        return campaigns.add(recipient);
    }

    @Override
    public Optional<CampaignRecipient> campaignRecipient(TenantId tenant, CampaignId campaign, CustomerId customer) {
        return campaigns.recipient(tenant, campaign, customer);
    }

    @Override
    public boolean transitionCampaignRecipient(CampaignRecipient from, CampaignRecipient to) {
        return campaigns.transition(from, to);
    }

    @Override
    public List<CampaignRecipient> dueCampaignRecipients(TenantId tenant, CampaignId campaign, Instant now,
                                                         int limit) {
        return campaigns.due(tenant, campaign, now, limit);
    }

    @Override
    public List<CampaignRecipient> campaignRecipients(TenantId tenant, CampaignId campaign, RecipientStatus status,
                                                      Optional<CustomerId> after, int limit) {
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

    @Override
    public List<CustomerId> customerIds(TenantId tenant, Optional<CustomerId> after, int limit) {
        return campaigns.customerIds(tenant, after, limit);
    }

    // ---- surveys, complaints, canned responses ------------------------------------------------------------------

    @Override
    public void saveSurvey(dev.switchboard.inbox.survey.Survey survey) {
        satisfaction.saveSurvey(survey);
    }

    @Override
    public Optional<dev.switchboard.inbox.survey.Survey> survey(TenantId tenant, String id) {
        return satisfaction.survey(tenant, id);
    }

    @Override
    public List<dev.switchboard.inbox.survey.Survey> surveysOfCustomer(TenantId tenant,
            dev.switchboard.model.CustomerId customer, int limit) {
        return satisfaction.surveysOfCustomer(tenant, customer, limit);
    }

    @Override
    public List<dev.switchboard.inbox.survey.Survey> surveysOfConversation(TenantId tenant,
            ConversationId conversation) {
        return satisfaction.surveysOfConversation(tenant, conversation);
    }

    @Override
    public Optional<dev.switchboard.inbox.survey.Complaint> complaint(TenantId tenant, ConversationId conversation) {
        return satisfaction.complaint(tenant, conversation);
    }

    @Override
    public void saveComplaint(dev.switchboard.inbox.survey.Complaint complaint) {
        satisfaction.saveComplaint(complaint);
    }

    @Override
    public void saveCannedResponse(dev.switchboard.inbox.canned.CannedResponse response) {
        satisfaction.saveCanned(response);
    }

    @Override
    public Optional<dev.switchboard.inbox.canned.CannedResponse> cannedResponse(TenantId tenant, String code) {
        return satisfaction.canned(tenant, code);
    }

    @Override
    public List<dev.switchboard.inbox.canned.CannedResponse> cannedResponses(TenantId tenant) {
        return satisfaction.allCanned(tenant);
    }

    @Override
    public boolean deleteCannedResponse(TenantId tenant, String code) {
        return satisfaction.deleteCanned(tenant, code);
    }

    // ---- KPI facts ----------------------------------------------------------------------------------------------

    @Override
    public long kpiCheckpoint() {
        return kpi.checkpoint();
    }

    @Override
    public void saveKpiCheckpoint(long seq) {
        kpi.saveCheckpoint(seq);
    }

    @Override
    public List<dev.switchboard.inbox.kpi.KpiFact> kpiFacts(TenantId tenant, ConversationId conversation) {
        return kpi.ofConversation(tenant, conversation);
    }

    @Override
    public void saveKpiFact(dev.switchboard.inbox.kpi.KpiFact fact) {
        kpi.save(fact);
    }

    @Override
    public List<dev.switchboard.inbox.kpi.KpiFact> kpiFactsOpened(TenantId tenant, Instant from, Instant to,
            String afterConversation, int afterCycle, int limit) {
        return kpi.opened(tenant, from, to, afterConversation, afterCycle, limit);
    }

    @Override
    public List<dev.switchboard.inbox.kpi.KpiTotals> kpiTotals(TenantId tenant,
            dev.switchboard.inbox.kpi.KpiQuery query) {
        return kpi.totals(tenant, query);
    }

    @Override
    public List<dev.switchboard.inbox.kpi.KpiTotals> kpiOverallAndGroups(TenantId tenant,
            dev.switchboard.inbox.kpi.KpiQuery query) {
        return kpi.overallAndGroups(tenant, query);
    }

    @Override
    public void saveKpiWait(dev.switchboard.inbox.kpi.KpiWait wait) {
        kpi.saveWait(wait);
    }

    @Override
    public List<dev.switchboard.inbox.kpi.KpiWait> kpiWaits(TenantId tenant, ConversationId conversation,
            int cycle) {
        return kpi.waits(tenant, conversation, cycle);
    }

    @Override
    public void relabelKpiWaits(dev.switchboard.inbox.kpi.KpiFact fact) {
        kpi.relabelWaits(fact);
    }

    @Override
    public List<Long> kpiHistogram(TenantId tenant, dev.switchboard.inbox.kpi.KpiQuery query,
            dev.switchboard.inbox.kpi.KpiMetric metric, List<Long> boundsMs) {
        return kpi.histogram(tenant, query, metric, boundsMs);
    }

    // ---- privacy ------------------------------------------------------------------------------------------------

    @Override
    public Optional<ErasureRecord> erasureRecord(TenantId tenant, CustomerId customer) {
        return privacy.record(tenant, customer);
    }

    @Override
    public void saveErasureRecord(ErasureRecord record) {
        privacy.save(record);
    }

    @Override
    public List<ErasureRecord> unfinishedErasures(int limit) {
        return privacy.unfinished(limit);
    }

    @Override
    public int eraseConversations(TenantId tenant, Set<ConversationId> conversations, Set<CustomerId> customers) {
        return privacy.eraseConversations(tenant, conversations, customers);
    }

    @Override
    public int scrubEvents(TenantId tenant, Set<CustomerId> customers, Set<ConversationId> conversations) {
        return privacy.scrubEvents(tenant, customers, conversations);
    }

    @Override
    public int eraseTraces(TenantId tenant, Set<AccountKey> accounts, Set<String> identifiers) {
        return privacy.eraseTraces(tenant, accounts, identifiers);
    }

    @Override
    public List<Boolean> transitionSla(List<SlaTransition> transitions) {
        return sla.transitionAll(transitions);
    }

    @Override
    public Map<ConversationId, Conversation> conversationsById(TenantId tenant, Collection<ConversationId> ids) {
        return conversations.conversationsById(tenant, ids);
    }
}
