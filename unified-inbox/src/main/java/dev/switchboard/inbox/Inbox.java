package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Content;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.identity.MergeId;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.identity.Resolution;
import dev.switchboard.identity.SuggestionId;
import dev.switchboard.identity.Unmerge;
import dev.switchboard.inbox.routing.Routing;
import dev.switchboard.inbox.routing.RoutingService;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.inbox.spi.QuarantineEntry;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Direction;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Preferences;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import dev.switchboard.inbox.ack.AckPolicy;
import dev.switchboard.inbox.calendar.CalendarRegistry;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.store.Page;
import dev.switchboard.store.PageRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unified inbox: every channel's inbound traffic deduplicated, resolved to customers, threaded into
 * conversations and stored; replies rendered per channel and delivered through a transactional outbox with rate
 * limits and retries; everything that happens published as {@link InboxEvent}s on a durable feed and to listeners.
 *
 * <pre>{@code
 * Inbox inbox = Inbox.builder()
 *     .store(new InMemoryInboxStore())       // or the JDBC store
 *     .channel(telegram).channel(email)
 *     .listener(event -> crm.push(event))
 *     .build();
 * inbox.start();
 * inbox.reply(conversationId, Content.text("Hello!"));
 * inbox.close();
 * }</pre>
 *
 * <p>Thread-safe. Methods without a tenant use {@link TenantId#DEFAULT}; CRM vendors hosting many businesses use the
 * overloads that name the tenant. Every write runs in one store transaction and appends its events in it, so the
 * feed never shows something that was rolled back. {@link #close()} stops channels and workers but does not close the
 * store, which the caller owns.
 */
public final class Inbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Inbox.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final InboxStore store;
    private final TenantIdentities identities;
    private final Clock clock;
    private final String nodeId;
    private final ChannelRegistry registry = new ChannelRegistry();
    private final Renderer renderer = Renderer.standard();
    private final InboundHandler handler;
    private final ExecutorService completions;
    private final Ingestor ingestor;
    private final OutboxRunner outbox;
    private final FeedDispatcher dispatcher;
    private final PollingSupervisor polling;
    private final ProcessedEventRetention retention;
    private final HealthReporter health;
    private final RuntimeChannels runtime;
    private final TenantOperations operations;
    private final ChannelStates states;
    private final RoutingService routing;
    private final dev.switchboard.inbox.sla.SlaService sla;
    private final dev.switchboard.inbox.consent.ConsentService consent;
    private final dev.switchboard.inbox.campaign.CampaignService campaigns;
    private final dev.switchboard.inbox.survey.SatisfactionService satisfaction;
    private final dev.switchboard.inbox.kpi.KpiService kpis;
    private final dev.switchboard.inbox.privacy.PrivacyService privacy;
    private final Object lifecycle = new Object();
    private boolean started;
    private boolean closed;

    private Inbox(Builder b) {
        this.store = b.store;
        this.identities = new TenantIdentities(b.identity != null ? b.identity
                : IdentityEngine.builder().clock(b.clock).build(), b.tenantIdentities);
        this.clock = b.clock;
        this.nodeId = b.nodeId;
        this.states = new ChannelStates(store, clock);
        b.channels.forEach((k, c) -> registry.add(b.factories.containsKey(k)
                ? ManagedChannel.withFactory(c, b.factories.get(k), clock, states)
                : ManagedChannel.of(c, clock, states)));
        this.handler = new InboundHandler(identities, b.threading, b.reopenWindow, clock);
        this.completions = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "switchboard-acks-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        WorkerHealthTracker feedHealth = new WorkerHealthTracker("feed-dispatcher", clock);
        WorkerHealthTracker ingestHealth = new WorkerHealthTracker("ingest", clock);
        WorkerHealthTracker leaseHealth = new WorkerHealthTracker("polling-supervisor", clock);
        WorkerHealthTracker retentionHealth = new WorkerHealthTracker("retention", clock);
        this.dispatcher = new FeedDispatcher(store, b.eventPollInterval, nodeId, feedHealth);
        b.listeners.forEach(dispatcher::add);
        this.outbox = new OutboxRunner(store, e -> registry.forSending(e.tenant(), e.message().channel()), b.outbox,
                clock, nodeId, dispatcher::wake);
        this.operations = new TenantOperations(b.acknowledgements);
        // an acknowledgement queued with a message wakes the outbox after its commit, so it is sent without waiting
        // for the next poll; a group that queued nothing leaves the outbox asleep (no claim transaction per group)
        handler.acknowledgements = new Acknowledgements(operations,
                (tx, tenant, c, content, options) -> queueReply(tx, tenant, c.id(), content, options), store,
                outbox::wake);
        this.ingestor = new Ingestor(store, handler, b.ingestBatchSize, b.ingestThreads, completions,
                dispatcher::wake, nodeId, ingestHealth);
        this.polling = new PollingSupervisor(store, nodeId, b.leaseCheckInterval, registry::snapshot,
                ingestor::sinkFor, leaseHealth);
        this.retention = new ProcessedEventRetention(store, clock, b.processedEventRetention, nodeId,
                retentionHealth);
        this.health = new HealthReporter(nodeId, clock, store, registry, polling, List.of(ingestHealth,
                outbox.health(), feedHealth, leaseHealth, retentionHealth), handler::duplicates);
        this.runtime = new RuntimeChannels(registry, polling, ingestor::sinkFor, this::isRunning);
        this.routing = new RoutingService(store, clock, (t, c) -> registry.get(t, c).map(m -> m.current().type()),
                dispatcher::add, dispatcher::wake, Duration.ofSeconds(1));
        this.sla = new dev.switchboard.inbox.sla.SlaService(store, clock, this::calendars,
                (t, c) -> registry.get(t, c).map(m -> m.current().type()), dispatcher::add, dispatcher::wake);
        this.consent = new dev.switchboard.inbox.consent.ConsentService(store, clock, this::identity,
                (t, c) -> registry.get(t, c).map(m -> m.current().type()), dispatcher::wake);
        handler.consent = consent;
        handler.confirmations = (tx, t, c, ch, text) -> queueReply(tx, t, c, Content.text(text),
                ReplyOptions.defaults().channel(ch).automated(true));
        this.campaigns = new dev.switchboard.inbox.campaign.CampaignService(store, clock,
                t -> channels().stream().filter(c -> c.tenant().equals(t)).toList(),
                new CampaignIdentity(identities, this), outbox::wake, dispatcher::wake, b.campaigns);
        this.satisfaction = new dev.switchboard.inbox.survey.SatisfactionService(store, clock, this::queueReply,
                (t, c) -> registry.get(t, c).map(m -> m.current().type()), () -> {
                    dispatcher.wake();
                    outbox.wake();
                });
        handler.satisfaction = satisfaction;
        this.kpis = new dev.switchboard.inbox.kpi.KpiService(store, this::calendars);
        handler.onFold(sla::conversationFolded); // one waiting customer: the kept conversation carries the wait
        this.privacy = new dev.switchboard.inbox.privacy.PrivacyService(store, clock,
                (t, c) -> registry.get(t, c).map(ManagedChannel::current),
                t -> registry.snapshot().stream().filter(m -> m.tenant().equals(t)).map(ManagedChannel::current)
                        .toList(), () -> {
                    dispatcher.wake();
                    outbox.wake();
                });
        observeWith(b.observer);
    }

    /** Hands the host's observer to the parts that report to it; before any of their threads start. */
    private void observeWith(InboxObserver observer) {
        handler.observer = observer;
        ingestor.observer = observer;
        outbox.observer = observer;
    }

    private boolean isRunning() {
        synchronized (lifecycle) {
            return started && !closed;
        }
    }

    private IdentityEngine identity(TenantId tenant) {
        return identities.of(tenant);
    }

    /** A builder; only {@link Builder#store} is required. */
    public static Builder builder() {
        return new Builder();
    }

    private static String key(TenantId tenant, ChannelId channel) {
        return ChannelRegistry.key(tenant, channel);
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------------

    /**
     * Starts the workers and the channels: webhook and push channels on every node, each polling channel only on the
     * node that holds its lease. Waits for the non-polling channels to start and fails if one cannot.
     *
     * @throws IllegalStateException when already started or closed, or a channel failed to start
     */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("this inbox is closed; build a new one");
            }
            if (started) {
                throw new IllegalStateException("this inbox is already started");
            }
            started = true;
        }
        privacy.resumeUnfinished(); // before the workers: erasures left unfinished complete first
        dispatcher.start();
        ingestor.start();
        outbox.start();
        for (ManagedChannel c : registry.snapshot()) {
            if (c.isPolling()) {
                continue;
            }
            try {
                c.start(ingestor::sinkFor).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                Throwable cause = ManagedChannel.unwrap(e);
                throw new IllegalStateException("channel " + c.tenant() + "/" + c.id() + " failed to start: "
                        + cause, cause);
            }
        }
        polling.start();
        retention.start();
        campaigns.start();
        log.info("Inbox node {} started with {} channel(s)", nodeId, registry.all().size());
    }

    /** Stops the channels, stores what was already received, stops the workers. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        polling.close();
        retention.close();
        routing.close();
        sla.close();
        campaigns.close();
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (ManagedChannel c : registry.snapshot()) {
            if (!c.isPolling()) {
                stops.add(c.stopAsync());
            }
        }
        try {
            CompletableFuture.allOf(stops.toArray(new CompletableFuture<?>[0]))
                    .get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Not every channel stopped within {}: {}", CLOSE_TIMEOUT, e.toString());
        }
        ingestor.close(CLOSE_TIMEOUT);
        outbox.close(CLOSE_TIMEOUT);
        dispatcher.close(CLOSE_TIMEOUT);
        completions.shutdown();
        log.info("Inbox node {} closed", nodeId);
    }

    /**
     * A tenant's agents, presence, queue and assignment; see {@link Routing}. Needs a store that supports routing
     * (the in-memory and JDBC stores do).
     */
    public Routing routing(TenantId tenant) {
        return routing.forTenant(tenant);
    }

    /**
     * A tenant's SLA policies and deadlines; see {@link dev.switchboard.inbox.sla.Sla}. Needs a store that keeps SLA
     * deadlines (the in-memory and JDBC stores do).
     */
    public dev.switchboard.inbox.sla.Sla sla(TenantId tenant) {
        return sla.forTenant(tenant);
    }

    /**
     * A tenant's consent ledger and unsubscribe keyword rule; see {@link dev.switchboard.inbox.consent.Consents}.
     * Needs a store that keeps the ledger (in-memory and JDBC do).
     */
    public dev.switchboard.inbox.consent.Consents consent(TenantId tenant) {
        return consent.forTenant(tenant);
    }

    /**
     * A tenant's campaigns (opt-in broadcasts); see {@link dev.switchboard.inbox.campaign.Campaigns}. Needs a store
     * that keeps campaigns (the in-memory and JDBC stores do).
     */
    public dev.switchboard.inbox.campaign.Campaigns campaigns(TenantId tenant) {
        return campaigns.forTenant(tenant);
    }

    /**
     * A tenant's satisfaction surveys; see {@link dev.switchboard.inbox.survey.Surveys}. Needs a store that keeps
     * surveys (the in-memory and JDBC stores do).
     */
    public dev.switchboard.inbox.survey.Surveys surveys(TenantId tenant) {
        return satisfaction.surveys(tenant);
    }

    /** A tenant's complaint marks and rules; see {@link dev.switchboard.inbox.survey.Complaints}. */
    public dev.switchboard.inbox.survey.Complaints complaints(TenantId tenant) {
        return satisfaction.complaints(tenant);
    }

    /** A tenant's canned responses; see {@link dev.switchboard.inbox.canned.CannedResponses}. */
    public dev.switchboard.inbox.canned.CannedResponses cannedResponses(TenantId tenant) {
        return new dev.switchboard.inbox.canned.CannedResponses(store, tenant, this::reply,
                (t, c) -> registry.get(t, c).map(m -> m.current().type()));
    }

    /**
     * A tenant's KPIs, aggregated from facts projected from the event feed; see
     * {@link dev.switchboard.inbox.kpi.Kpis}. Needs a store that keeps KPI facts (the in-memory and JDBC stores do).
     */
    public dev.switchboard.inbox.kpi.Kpis kpis(TenantId tenant) {
        return kpis.forTenant(tenant);
    }

    /** A tenant's export and erasure of customer data; see {@link dev.switchboard.inbox.privacy.Privacy}. */
    public dev.switchboard.inbox.privacy.Privacy privacy(TenantId tenant) {
        return privacy.forTenant(tenant);
    }

    /** This node's id (for leases and outbox claims). */
    public String nodeId() {
        return nodeId;
    }

    /** The configured channels, in the order they were added. */
    public List<Channel> channels() {
        return registry.snapshot().stream().map(ManagedChannel::current).toList();
    }

    /** The configured channel with this id in a tenant. */
    public Optional<Channel> channel(TenantId tenant, ChannelId id) {
        return registry.get(tenant, id).map(ManagedChannel::current);
    }

    /**
     * The sink the inbox hands {@code channel} on start, for hosts that feed a channel's events in themselves (e.g. a
     * channel they run outside the inbox). Stages complete after commit, like the channels' own.
     */
    public InboundSink sink(TenantId tenant, ChannelId channel) {
        Channel c = channel(tenant, channel).orElseThrow(() -> new IllegalArgumentException("no channel " + channel
                + " is configured for tenant " + tenant));
        return ingestor.sinkFor(c);
    }

    // ---- tenants, channels and health at runtime -----------------------------------------------------------------

    /**
     * A view of this inbox scoped to one tenant: every read, reply, agent action and listener of the view concerns
     * that tenant only, so a host serving many businesses cannot act on the wrong one by forgetting an argument.
     */
    public TenantInbox forTenant(TenantId tenant) {
        return new TenantInbox(this, Objects.requireNonNull(tenant, "tenant"));
    }

    /**
     * Adds a channel to the running inbox (onboarding a business): a webhook or push channel starts at once (the
     * stage completes when it started), a polling channel on the node that takes its lease. The change concerns this
     * node: make it on every node (see docs/running.md). Before {@link #start()} it is simply configured.
     *
     * @throws IllegalStateException when the tenant already has a channel with this id
     */
    public CompletionStage<Void> addChannel(Channel channel) {
        return runtime.add(ManagedChannel.of(Objects.requireNonNull(channel, "channel"), clock, states));
    }

    /** {@link #addChannel(Channel)} for a channel built by {@code factory}, which also rebuilds it when needed. */
    public CompletionStage<Void> addChannel(Supplier<? extends Channel> factory) {
        return runtime.add(ManagedChannel.fromFactory(factory, clock, states));
    }

    /**
     * Puts a new instance in the place of the channel with its tenant and id (rotating a token): the old one stops,
     * the new one starts, and replies still queued go out through the new one.
     *
     * @throws IllegalArgumentException when no such channel is configured
     */
    public CompletionStage<Void> replaceChannel(Channel channel) {
        return runtime.replace(ManagedChannel.of(Objects.requireNonNull(channel, "channel"), clock, states));
    }

    /**
     * Stops and removes a channel (offboarding). Replies still queued for it fail with the reason "channel ... was
     * removed" at their next attempt ({@code DELIVERY_STATUS_CHANGED} FAILED), nothing is sent through it any more.
     *
     * @throws IllegalArgumentException when no such channel is configured
     */
    public CompletionStage<Void> removeChannel(TenantId tenant, ChannelId channel) {
        return runtime.remove(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(channel, "channel"));
    }

    /** Sets the identity engine of one tenant (e.g. its default phone region), for tenants onboarded at runtime. */
    public void setIdentity(TenantId tenant, IdentityEngine engine) {
        identities.set(tenant, engine);
    }

    /**
     * This node's health: every channel, the store (probed with a trivial transaction, at most 2 s) and the
     * background workers, in one immutable report. Cheap enough for a health endpoint polled every few seconds.
     */
    public InboxHealth health() {
        return health.report(isRunning());
    }

    /**
     * Forgets processed platform event ids older than the configured retention now (the inbox also does it every hour)
     * and returns how many it forgot.
     */
    public int pruneProcessedEvents() {
        return retention.pruneNow();
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /** Conversations by status, assignee and channel, newest activity first, paged. */
    public Page<Conversation> conversations(ConversationQuery query) {
        Objects.requireNonNull(query, "query");
        return store.inTransaction(tx -> tx.conversations(query));
    }

    /** One conversation of the default tenant, empty when there is none with this id. */
    public Optional<Conversation> conversation(ConversationId id) {
        return conversation(TenantId.DEFAULT, id);
    }

    /** One conversation of a tenant, empty when the tenant has none with this id. */
    public Optional<Conversation> conversation(TenantId tenant, ConversationId id) {
        return store.inTransaction(tx -> tx.conversation(tenant, id));
    }

    /** One conversation's messages in the order they were stored. */
    public List<Message> messages(ConversationId conversation) {
        return messages(TenantId.DEFAULT, conversation);
    }

    /** One conversation's messages in the order they were stored (empty when the tenant has no such conversation). */
    public List<Message> messages(TenantId tenant, ConversationId conversation) {
        return store.inTransaction(tx -> tx.messages(tenant, conversation));
    }

    /** One stored message of the default tenant. */
    public Optional<Message> message(MessageId id) {
        return message(TenantId.DEFAULT, id);
    }

    /** One stored message of a tenant, empty when the tenant has none with this id. */
    public Optional<Message> message(TenantId tenant, MessageId id) {
        return store.inTransaction(tx -> tx.message(tenant, id));
    }

    /**
     * A customer's whole history across every channel and conversation, in the order it was stored, including what
     * was recorded under ids later merged into this customer.
     */
    public Page<Message> timeline(CustomerId customer, PageRequest page) {
        return timeline(TenantId.DEFAULT, customer, page);
    }

    /** A tenant's customer's whole history; see {@link #timeline(CustomerId, PageRequest)}. */
    public Page<Message> timeline(TenantId tenant, CustomerId customer, PageRequest page) {
        return store.inTransaction(tx -> tx.timeline(tenant, identity(tenant).identities(tx, tenant, customer),
                page));
    }

    /** The customer as they are now (following merges), or empty when the id is unknown. */
    public Optional<Customer> customer(CustomerId id) {
        return customer(TenantId.DEFAULT, id);
    }

    /** A tenant's customer as they are now (following merges), or empty when the id is unknown there. */
    public Optional<Customer> customer(TenantId tenant, CustomerId id) {
        return store.inTransaction(tx -> {
            if (tx.customer(tenant, id).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(identity(tenant).customer(tx, tenant, id));
        });
    }

    /** The customer owning a channel account, as they are now. */
    public Optional<Customer> customerByAccount(AccountKey account) {
        return store.inTransaction(tx -> tx.customerByAccount(account)
                .map(id -> identity(account.tenant()).customer(tx, account.tenant(), id)));
    }

    /** Input that could not be parsed or came from a blocked account, newest first. */
    public List<QuarantineEntry> quarantined(int limit) {
        return quarantined(TenantId.DEFAULT, limit);
    }

    /** A tenant's quarantined input, newest first, at most {@code limit} (1..1000) entries. */
    public List<QuarantineEntry> quarantined(TenantId tenant, int limit) {
        requireLimit(limit);
        return store.inTransaction(tx -> tx.quarantined(tenant, limit));
    }

    /**
     * The durable event feed of every tenant after {@code afterSeq}, oldest first: read from a saved cursor to catch up
     * after downtime without missing or repeating anything.
     */
    public List<InboxEvent> events(long afterSeq, int limit) {
        requireLimit(limit);
        return store.inTransaction(tx -> tx.events(Optional.empty(), afterSeq, limit));
    }

    /** The event feed of one tenant after {@code afterSeq} (a sequence number of the global feed), oldest first. */
    public List<InboxEvent> events(TenantId tenant, long afterSeq, int limit) {
        requireLimit(limit);
        return store.inTransaction(tx -> tx.events(Optional.of(tenant), afterSeq, limit));
    }

    /**
     * The sequence number of the newest event in the feed (0 when the feed is empty): where a reader that wants only
     * what happens from now on starts, e.g. a CRM connector's first run saves it as its cursor and then calls
     * {@code events(cursor, limit)}. Events committed after this call have higher numbers.
     */
    public long lastEventSeq() {
        return store.inTransaction(InboxTransaction::lastEventSeq);
    }

    /** The message of a MESSAGE_RECEIVED event with its customer and conversation, read in one transaction. */
    Optional<ReceivedMessage> received(InboxEvent event) {
        TenantId tenant = event.tenant();
        return store.inTransaction(tx -> event.message().flatMap(id -> tx.message(tenant, id)).flatMap(m ->
                tx.conversation(tenant, m.conversation()).map(c -> new ReceivedMessage(event, m,
                        identity(tenant).customer(tx, tenant, m.customer()), c))));
    }

    /** Rows of the outbox not yet sent or failed (for monitoring). */
    public long pendingOutboxCount() {
        return store.inTransaction(InboxTransaction::pendingOutboxCount);
    }

    /** When the oldest outbox row not yet sent or failed was queued, empty when none is (for monitoring). */
    public Optional<Instant> oldestPendingOutbox() {
        return store.inTransaction(InboxTransaction::oldestPendingOutbox);
    }

    /**
     * Adds a listener for events committed from now on, on every node (see {@link InboxListener}); close the returned
     * subscription to remove it. Listeners added to the builder are there from the start.
     */
    public Subscription addListener(InboxListener listener) {
        Objects.requireNonNull(listener, "listener");
        return dispatcher.add(listener);
    }

    private static void requireLimit(int limit) {
        if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + PageRequest.MAX_LIMIT + ", got " + limit);
        }
    }

    // ---- replying ------------------------------------------------------------------------------------------------

    /** Replies on the channel the customer last wrote from; see {@link #reply(TenantId, ConversationId, Content, ReplyOptions)}. */
    public Message reply(ConversationId conversation, Content content) {
        return reply(TenantId.DEFAULT, conversation, content, ReplyOptions.defaults());
    }

    /**
     * Queues a reply with options in the default tenant; see
     * {@link #reply(TenantId, ConversationId, Content, ReplyOptions)}.
     */
    public Message reply(ConversationId conversation, Content content, ReplyOptions options) {
        return reply(TenantId.DEFAULT, conversation, content, options);
    }

    /**
     * Queues a reply: picks the channel (the one named in {@code options}, else the one the customer last wrote from,
     * else their preferred channel type, else any channel they have an account on), refuses it when the customer must
     * not be contacted there, renders it for the channel, and stores the message (QUEUED) with one outbox row per
     * rendered bubble, in one transaction. The outbox then sends it; watch {@link InboxEvent.Type#DELIVERY_STATUS_CHANGED}.
     *
     * @return the stored outbound message
     * @throws NoSuchElementException when the conversation does not exist in the tenant
     * @throws IllegalArgumentException when the named channel is not configured for the tenant, or content is empty
     * @throws ContactNotAllowedException when the customer asked not to be contacted on that channel type, the
     *     account is blocked, the customer blocked us, or has no account on the channel, or the send would be
     *     paid and {@link ReplyOptions#refusePaidSends()} was asked
     */
    public Message reply(TenantId tenant, ConversationId conversation, Content content, ReplyOptions options) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(options, "options");
        if (content.isEmpty()) {
            throw new IllegalArgumentException("content must not be empty");
        }
        Message queued = store.inTransaction(tx -> queueReply(tx, tenant, conversation, content, options));
        dispatcher.wake();
        outbox.wake();
        return queued;
    }

    private Message queueReply(InboxTransaction tx, TenantId tenant, ConversationId conversationId, Content content,
                               ReplyOptions options) {
        Instant now = clock.instant();
        Conversation conversation = tx.conversation(tenant, conversationId).orElseThrow(() ->
                new NoSuchElementException("no conversation " + conversationId + " in tenant " + tenant));
        Customer customer = identity(tenant).customer(tx, tenant, conversation.customer());
        List<Message> history = tx.messages(tenant, conversationId);
        Channel channel = targetChannel(tenant, conversation, customer, history, options);
        LinkedAccount recipient = recipient(customer, channel, history);
        checkAllowed(customer, channel, recipient);
        if (options.refusesPaidSends() && channel.sendCost(recipient.account()).paid()) {
            throw new ContactNotAllowedException(ContactNotAllowedException.Reason.PAID_SEND_REFUSED, customer.id(),
                    channel.id(), "a message to " + recipient.key() + " on channel " + channel.id() + " would be "
                    + "billed by the platform (no open messaging window) and the reply refuses paid sends");
        }

        // rendered for this recipient's client (a VK app without carousels gets them degraded and numbered)
        RenderedMessage rendered = renderer.render(content, channel.capabilities(recipient.account()),
                channel.id());
        if (rendered.bubbles().isEmpty()) {
            throw new IllegalArgumentException("content rendered to nothing for channel " + channel.id());
        }
        MessageId id = MessageId.random();
        Message message = new Message(tenant, id, conversationId, customer.id(), channel.id(), Direction.OUTBOUND,
                recipient.key(), options.agent(), content, Optional.empty(), DeliveryStatus.QUEUED, Optional.empty(),
                now, now);
        tx.saveMessage(message);
        ThreadHints thread = threadFor(conversation, channel.id(), history, options);
        for (int part = 0; part < rendered.bubbles().size(); part++) {
            OutboundMessage out = new OutboundMessage(channel.id(), recipient.account(), id, part,
                    rendered.bubbles().get(part), id.value() + ":" + part,
                    part == 0 ? options.quotedPlatformMessageId() : Optional.empty(), thread,
                    options.senderName(), options.automated());
            tx.enqueue(OutboxEntry.pending(tenant, out, now));
        }
        if (!rendered.choiceMap().isEmpty()) {
            tx.saveChoiceMap(tenant, conversationId, rendered.choiceMap());
        }
        if (!options.automated()) {
            tx.saveConversation(conversation.withFirstResponse(now));
        }
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.REPLY_QUEUED, conversationId, id, customer.id(), now,
                "channel", channel.id().value(), "parts", Integer.toString(rendered.bubbles().size()),
                "agent", options.agent().orElse(null), "automated", options.automated() ? "true" : null));
        // the first entry of the message's status history, so a follower sees every status as the same event type
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.DELIVERY_STATUS_CHANGED, conversationId, id, customer.id(),
                now, "channel", channel.id().value(), "status", DeliveryStatus.QUEUED.name(), "source", "reply"));
        return message;
    }

    /**
     * The channel to reply on: the one the caller named (refused if not allowed), else the first allowed of: the
     * channels the customer wrote from in this conversation (latest first), the conversation's channel, channels of
     * the customer's preferred type, any channel they have an account on. When none is allowed, the refusal of the
     * first candidate is thrown, so the caller learns why.
     */
    private Channel targetChannel(TenantId tenant, Conversation conversation, Customer customer, List<Message> history,
                                  ReplyOptions options) {
        if (options.channel().isPresent()) {
            ChannelId id = options.channel().get();
            return channel(tenant, id).orElseThrow(() -> new IllegalArgumentException("no channel " + id
                    + " is configured for tenant " + tenant));
        }
        java.util.LinkedHashSet<Channel> candidates = new java.util.LinkedHashSet<>();
        if (options.preferredRouting()) {
            candidates.addAll(dev.switchboard.inbox.consent.PreferredRouting.candidates(customer,
                    a -> channel(tenant, a.key().channel())));
        }
        for (int i = history.size() - 1; i >= 0; i--) {
            Message m = history.get(i);
            if (m.direction() == Direction.INBOUND) {
                channel(tenant, m.channel()).ifPresent(candidates::add);
            }
        }
        conversation.channel().flatMap(id -> channel(tenant, id)).ifPresent(candidates::add);
        Optional<ChannelType> preferred = customer.preferences().preferredChannel();
        List<Channel> reachable = new ArrayList<>();
        for (LinkedAccount a : customer.accounts()) {
            channel(tenant, a.key().channel()).ifPresent(reachable::add);
        }
        reachable.stream().filter(c -> preferred.isPresent() && c.type().equals(preferred.get()))
                .forEach(candidates::add);
        candidates.addAll(reachable);
        ContactNotAllowedException firstRefusal = null;
        for (Channel c : candidates) {
            try {
                checkAllowed(customer, c, recipient(customer, c, history));
                return c;
            } catch (ContactNotAllowedException e) {
                if (firstRefusal == null) {
                    firstRefusal = e;
                }
            }
        }
        if (firstRefusal != null) {
            throw firstRefusal;
        }
        throw new ContactNotAllowedException(ContactNotAllowedException.Reason.NO_ACCOUNT_ON_CHANNEL, customer.id(),
                conversation.channel().orElse(ChannelId.of("none")), "customer " + customer.id()
                + " has no account on any channel configured for tenant " + tenant);
    }

    /** The account to write to on the channel: the one the customer last wrote from there, else any of theirs. */
    private static LinkedAccount recipient(Customer customer, Channel channel, List<Message> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            Message m = history.get(i);
            if (m.direction() == Direction.INBOUND && m.channel().equals(channel.id())) {
                Optional<LinkedAccount> a = customer.account(m.account());
                if (a.isPresent()) {
                    return a.get();
                }
            }
        }
        return customer.accounts().stream().filter(a -> a.key().channel().equals(channel.id())).findFirst()
                .orElseThrow(() -> new ContactNotAllowedException(ContactNotAllowedException.Reason
                        .NO_ACCOUNT_ON_CHANNEL, customer.id(), channel.id(), "customer " + customer.id()
                        + " has no account on channel " + channel.id()));
    }

    private static void checkAllowed(Customer customer, Channel channel, LinkedAccount recipient) {
        if (!customer.preferences().allows(channel.type())) {
            throw new ContactNotAllowedException(ContactNotAllowedException.Reason.DO_NOT_CONTACT, customer.id(),
                    channel.id(), "customer " + customer.id() + " asked not to be contacted on " + channel.type()
                    + " (channel " + channel.id() + ")");
        }
        if (recipient.blocked()) {
            throw new ContactNotAllowedException(ContactNotAllowedException.Reason.ACCOUNT_BLOCKED, customer.id(),
                    channel.id(), "account " + recipient.key() + " of customer " + customer.id() + " is blocked");
        }
        String blockedUs = customer.attributes().get(InboundHandler.blockedUsKey(recipient.account()));
        if (blockedUs != null) {
            throw new ContactNotAllowedException(ContactNotAllowedException.Reason.RECIPIENT_BLOCKED_US,
                    customer.id(), channel.id(), "customer " + customer.id() + " blocked us or unsubscribed on "
                    + channel.type() + " (channel " + channel.id() + ", " + blockedUs + ")");
        }
    }

    /** Email-style threading: the platform ids this conversation already has on the channel, and our token. */
    private static ThreadHints threadFor(Conversation conversation, ChannelId channel, List<Message> history,
                                         ReplyOptions options) {
        List<String> references = new ArrayList<>();
        for (Message m : history) {
            if (m.channel().equals(channel) && m.platformMessageId().isPresent()) {
                references.add(m.platformMessageId().get());
            }
        }
        // Keep the header short: the first message roots the thread, the last ones continue it.
        if (references.size() > 20) {
            List<String> trimmed = new ArrayList<>();
            trimmed.add(references.get(0));
            trimmed.addAll(references.subList(references.size() - 19, references.size()));
            references = trimmed;
        }
        // an email reply answers under the subject the customer wrote, unless the caller gives another
        return new ThreadHints(references, Optional.of(ConversationToken.of(conversation.id())),
                options.subject().or(conversation::subject));
    }

    // ---- operations: calendars and acknowledgements ------------------------------------------------------------

    /** The tenant's business calendars (a default, per channel, per team), changeable at runtime. */
    public CalendarRegistry calendars(TenantId tenant) {
        return operations.calendars(tenant);
    }

    /** The tenant's acknowledgement policy: the one set for it, else the builder's (disabled unless set). */
    public AckPolicy acknowledgements(TenantId tenant) {
        return operations.acknowledgements(tenant);
    }

    /** Replaces the tenant's acknowledgement policy; applies to messages stored from now on. */
    public void setAcknowledgements(TenantId tenant, AckPolicy policy) {
        operations.setAcknowledgements(tenant, policy);
    }

    // ---- agent actions -------------------------------------------------------------------------------------------

    /** Assigns the conversation to an agent (replacing any assignee); see {@link #unassign(ConversationId)}. */
    public Conversation assign(ConversationId conversation, String agent) {
        return assign(TenantId.DEFAULT, conversation, agent);
    }

    /**
     * Assigns a tenant's conversation to an agent and appends {@code CONVERSATION_UPDATED} with the
     * {@code assignee} attribute. When the tenant routes conversations on this node ({@code routing().configure}),
     * a conversation that is not resolved is assigned within the agent's capacity, counted against it, replacing any
     * other assignee; otherwise the assignee is set as given.
     *
     * @throws NoSuchElementException when the conversation does not exist in the tenant
     * @throws dev.switchboard.inbox.routing.AssignmentRefusedException with routing, when the agent is not
     *     registered or has no room (nothing changed)
     */
    public Conversation assign(TenantId tenant, ConversationId conversation, String agent) {
        Objects.requireNonNull(agent, "agent");
        Optional<Conversation> routed = routing.assignByAgentAction(Objects.requireNonNull(tenant, "tenant"),
                Objects.requireNonNull(conversation, "conversation"), agent);
        if (routed.isPresent()) {
            sla.conversationChanged(tenant, conversation);
            return routed.get();
        }
        return update(tenant, conversation, (c, now) -> c.withAssignee(agent, now), "assignee", agent);
    }

    /** Removes the conversation's assignee. */
    public Conversation unassign(ConversationId conversation) {
        return unassign(TenantId.DEFAULT, conversation);
    }

    /**
     * Removes a tenant's conversation's assignee and appends {@code CONVERSATION_UPDATED} with an empty
     * {@code assignee} attribute. When the tenant routes conversations on this node, the capacity it held is freed
     * and an open conversation waits in the queue again.
     *
     * @throws NoSuchElementException when the conversation does not exist in the tenant
     */
    public Conversation unassign(TenantId tenant, ConversationId conversation) {
        Optional<Conversation> routed = routing.unassignByAgentAction(Objects.requireNonNull(tenant, "tenant"),
                Objects.requireNonNull(conversation, "conversation"));
        if (routed.isPresent()) {
            sla.conversationChanged(tenant, conversation);
            return routed.get();
        }
        return update(tenant, conversation, (c, now) -> c.withoutAssignee(now), "assignee", "");
    }

    /** Moves the conversation to a status; RESOLVED records the resolution time. */
    public Conversation setStatus(ConversationId conversation, ConversationStatus status) {
        return setStatus(TenantId.DEFAULT, conversation, status);
    }

    /**
     * Moves a tenant's conversation to a status and appends {@code CONVERSATION_UPDATED}, or
     * {@code CONVERSATION_RESOLVED} when it becomes resolved.
     *
     * @throws NoSuchElementException when the conversation does not exist in the tenant
     */
    public Conversation setStatus(TenantId tenant, ConversationId conversation, ConversationStatus status) {
        Objects.requireNonNull(status, "status");
        return update(tenant, conversation, (c, now) -> c.withStatus(status, now), "status", status.name());
    }

    /** Resolves the conversation ({@code setStatus(conversation, RESOLVED)}). */
    public Conversation resolve(ConversationId conversation) {
        return resolve(TenantId.DEFAULT, conversation);
    }

    /** Resolves a tenant's conversation ({@code setStatus(tenant, conversation, RESOLVED)}). */
    public Conversation resolve(TenantId tenant, ConversationId conversation) {
        return setStatus(tenant, conversation, ConversationStatus.RESOLVED);
    }

    /** Sets the conversation's priority. */
    public Conversation setPriority(ConversationId conversation, Priority priority) {
        return setPriority(TenantId.DEFAULT, conversation, priority);
    }

    /** Sets a tenant's conversation's priority and appends {@code CONVERSATION_UPDATED}. */
    public Conversation setPriority(TenantId tenant, ConversationId conversation, Priority priority) {
        Objects.requireNonNull(priority, "priority");
        return update(tenant, conversation, (c, now) -> c.withPriority(priority, now), "priority", priority.name());
    }

    /** Adds tags to the conversation. */
    public Conversation tag(ConversationId conversation, Set<String> tags) {
        return tag(TenantId.DEFAULT, conversation, tags);
    }

    /** Adds tags to a tenant's conversation and appends {@code CONVERSATION_UPDATED}. */
    public Conversation tag(TenantId tenant, ConversationId conversation, Set<String> tags) {
        Objects.requireNonNull(tags, "tags");
        return update(tenant, conversation, (c, now) -> {
            Set<String> all = new HashSet<>(c.tags());
            all.addAll(tags);
            return c.withTags(all, now);
        }, "tags", String.join(",", tags));
    }

    /** Removes tags from the conversation. */
    public Conversation untag(ConversationId conversation, Set<String> tags) {
        return untag(TenantId.DEFAULT, conversation, tags);
    }

    /** Removes tags from a tenant's conversation and appends {@code CONVERSATION_UPDATED}. */
    public Conversation untag(TenantId tenant, ConversationId conversation, Set<String> tags) {
        Objects.requireNonNull(tags, "tags");
        return update(tenant, conversation, (c, now) -> {
            Set<String> all = new HashSet<>(c.tags());
            all.removeAll(tags);
            return c.withTags(all, now);
        }, "untagged", String.join(",", tags));
    }

    private interface ConversationChange {
        Conversation apply(Conversation c, Instant now);
    }

    private Conversation update(TenantId tenant, ConversationId id, ConversationChange change, String attribute,
                                String value) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "conversation");
        Conversation updated = store.inTransaction(tx -> {
            Instant now = clock.instant();
            Conversation c = tx.conversation(tenant, id).orElseThrow(() ->
                    new NoSuchElementException("no conversation " + id + " in tenant " + tenant));
            Conversation u = change.apply(c, now);
            tx.saveConversation(u);
            boolean resolved = u.status() == ConversationStatus.RESOLVED && c.status() != ConversationStatus.RESOLVED;
            tx.appendEvent(Events.of(tenant, resolved ? InboxEvent.Type.CONVERSATION_RESOLVED
                    : InboxEvent.Type.CONVERSATION_UPDATED, id, null, u.customer(), now, attribute, value));
            satisfaction.afterChange(tx, c, u, now); // a survey on resolution, complaint labels
            return u;
        });
        dispatcher.wake();
        outbox.wake();
        routing.conversationChanged(tenant, id);
        sla.conversationChanged(tenant, id);
        return updated;
    }

    // ---- identity ------------------------------------------------------------------------------------------------

    /** Open merge suggestions of a tenant for an agent to decide, highest score first. */
    public List<MergeSuggestion> suggestions(TenantId tenant, int limit) {
        requireLimit(limit);
        return store.inTransaction(tx -> identity(tenant).suggestions(tx, tenant, limit));
    }

    /** Accepts (merges) or rejects a suggestion. */
    public MergeSuggestion decide(TenantId tenant, SuggestionId suggestion, boolean accept, String actor) {
        MergeSuggestion decided = store.inTransaction(tx -> {
            Instant now = clock.instant();
            MergeSuggestion d = identity(tenant).decide(tx, tenant, suggestion, accept, actor);
            if (accept) {
                String marker = "suggestion " + suggestion + " ";
                for (MergeRecord m : tx.mergesOf(tenant, identity(tenant).canonical(tx, tenant, d.first()))) {
                    if (m.reason().startsWith(marker) && !m.isUndone()) {
                        handler.merged(tx, m, now);
                    }
                }
            }
            return d;
        });
        dispatcher.wake();
        return decided;
    }

    /** Merges two customers on an agent's word; the older survives. */
    public MergeRecord merge(TenantId tenant, CustomerId a, CustomerId b, String actor, String reason) {
        MergeRecord record = store.inTransaction(tx -> {
            MergeRecord m = identity(tenant).merge(tx, tenant, a, b, actor, reason);
            handler.merged(tx, m, clock.instant());
            return m;
        });
        dispatcher.wake();
        return record;
    }

    /** Undoes a merge, giving back both customers as they were. */
    public Unmerge unmerge(TenantId tenant, MergeId merge, String actor) {
        Unmerge result = store.inTransaction(tx -> {
            Unmerge u = identity(tenant).unmerge(tx, tenant, merge, actor);
            consent.afterUnmerge(tx, tenant, u.survivor().id(), u.restored().id());
            tx.appendEvent(Events.of(tenant, InboxEvent.Type.MERGE_UNDONE, null, null, u.survivor().id(),
                    clock.instant(), "merge", merge.toString(), "restored", u.restored().id().value(),
                    "actor", actor));
            return u;
        });
        dispatcher.wake();
        return result;
    }

    /** Links an account to a customer on the host's word (verified), merging if the account had another owner. */
    public Customer link(AccountKey account, CustomerId customer, String actor) {
        Customer linked = store.inTransaction(tx -> {
            Instant now = clock.instant();
            Resolution r = identity(account.tenant()).link(tx, account, customer, actor);
            for (MergeRecord m : r.merges()) {
                handler.merged(tx, m, now);
            }
            tx.appendEvent(Events.of(account.tenant(), InboxEvent.Type.ACCOUNT_UPDATED, null, null,
                    r.customer().id(), now, "channel", account.channel().value(), "account",
                    account.platformUserId(), "kind", "LINKED", "actor", actor));
            return r.customer();
        });
        dispatcher.wake();
        return linked;
    }

    /** Blocks or unblocks one account: its messages go to quarantine, and replies to it are refused. */
    public Customer block(AccountKey account, boolean blocked) {
        Customer c = store.inTransaction(tx -> {
            Customer updated = identity(account.tenant()).setBlocked(tx, account, blocked);
            tx.appendEvent(Events.of(account.tenant(), InboxEvent.Type.ACCOUNT_UPDATED, null, null, updated.id(),
                    clock.instant(), "channel", account.channel().value(), "account", account.platformUserId(),
                    "kind", blocked ? "BLOCKED" : "UNBLOCKED"));
            return updated;
        });
        dispatcher.wake();
        return c;
    }

    /** Changes a customer's preferences (preferred channel, do-not-contact, consent) in one transaction. */
    public Customer updatePreferences(TenantId tenant, CustomerId customer, UnaryOperator<Preferences> change) {
        Objects.requireNonNull(change, "change");
        Customer c = store.inTransaction(tx -> {
            Customer current = identity(tenant).customer(tx, tenant, customer);
            Customer updated = consent.preferencesChanged(tx, current, identity(tenant).setPreferences(tx, tenant,
                    current.id(), Objects.requireNonNull(change.apply(current.preferences()), "preferences")));
            tx.appendEvent(Events.of(tenant, InboxEvent.Type.ACCOUNT_UPDATED, null, null, updated.id(),
                    clock.instant(), "kind", "PREFERENCES"));
            return updated;
        });
        dispatcher.wake();
        return c;
    }

    @Override
    public String toString() {
        return "Inbox[node=" + nodeId + ", channels=" + registry.all().stream().map(ManagedChannel::key).toList()
                + ", store=" + store + "]";
    }

    // ---- builder -------------------------------------------------------------------------------------------------

    /** Assembles an {@link Inbox}; {@link #build()} checks the configuration and names what is wrong. */
    public static final class Builder {
        private InboxStore store;
        private final Map<String, Channel> channels = new LinkedHashMap<>();
        private final Map<String, Supplier<? extends Channel>> factories = new LinkedHashMap<>();
        private final Map<TenantId, IdentityEngine> tenantIdentities = new LinkedHashMap<>();
        private Duration processedEventRetention = Duration.ofDays(30);
        private final List<String> duplicateChannels = new ArrayList<>();
        private IdentityEngine identity;
        private ThreadingPolicy threading = ThreadingPolicy.PER_CUSTOMER;
        private Duration reopenWindow = Duration.ofDays(7);
        private OutboxSettings outbox = OutboxSettings.defaults();
        private String nodeId = "node-" + UUID.randomUUID().toString().substring(0, 8);
        private Clock clock = Clock.systemUTC();
        private final List<InboxListener> listeners = new ArrayList<>();
        private Duration leaseCheckInterval = Duration.ofSeconds(5);
        private Duration eventPollInterval = Duration.ofMillis(500);
        private int ingestBatchSize = 100;
        private int ingestThreads = 4;
        private InboxObserver observer = InboxObserver.NONE;
        private AckPolicy acknowledgements = AckPolicy.disabled();
        private dev.switchboard.inbox.campaign.CampaignSettings campaigns =
                dev.switchboard.inbox.campaign.CampaignSettings.defaults();

        private Builder() {
        }

        /** Where everything is stored (required): the in-memory store or the JDBC store. */
        public Builder store(InboxStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Adds a channel; ids must be unique within a tenant. */
        public Builder channel(Channel channel) {
            Objects.requireNonNull(channel, "channel");
            String k = key(channel.tenant(), channel.id());
            if (channels.putIfAbsent(k, channel) != null) {
                duplicateChannels.add(k);
            }
            return this;
        }

        /**
         * Adds a channel built by {@code factory}: called once now, and again whenever an instance refuses to start
         * after a stop (a channel that cannot be restarted), so a lost lease or a database outage never ends a
         * channel's receiving. Every instance must have the same tenant, id and type.
         */
        public Builder channel(Supplier<? extends Channel> factory) {
            Channel first = ManagedChannel.firstOf(Objects.requireNonNull(factory, "factory"));
            channel(first);
            factories.putIfAbsent(key(first.tenant(), first.id()), factory);
            return this;
        }

        /** The identity engine of one tenant (e.g. {@code defaultRegion("BY")}); others use {@link #identity}. */
        public Builder identity(TenantId tenant, IdentityEngine identity) {
            tenantIdentities.put(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(identity,
                    "identity"));
            return this;
        }

        /**
         * How long processed platform event ids are kept for recognising redeliveries (default 30 days, at least one
         * day: longer than any platform redelivers). Older ids are pruned every hour.
         */
        public Builder processedEventRetention(Duration retention) {
            this.processedEventRetention = Objects.requireNonNull(retention, "processedEventRetention");
            return this;
        }

        /** The identity engine (default: {@code IdentityEngine.builder().clock(clock).build()}). */
        public Builder identity(IdentityEngine identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** How inbound messages are threaded into conversations (default {@link ThreadingPolicy#PER_CUSTOMER}). */
        public Builder threading(ThreadingPolicy threading) {
            this.threading = Objects.requireNonNull(threading, "threading");
            return this;
        }

        /** How long after resolution a new message reopens a conversation instead of starting one (default 7 days). */
        public Builder reopenWindow(Duration window) {
            this.reopenWindow = Objects.requireNonNull(window, "reopenWindow");
            return this;
        }

        /** Outbox workers, retries and leases (default {@link OutboxSettings#defaults()}). */
        public Builder outbox(OutboxSettings settings) {
            this.outbox = Objects.requireNonNull(settings, "outbox");
            return this;
        }

        /** This node's id, unique among the nodes sharing a store (default: random). */
        public Builder nodeId(String nodeId) {
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            return this;
        }

        /** The clock for timestamps, reopen windows and retries (default: the UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The acknowledgement policy of every tenant that sets none of its own (default: disabled); see
         * {@link TenantInbox#setAcknowledgements(AckPolicy)}.
         */
        public Builder acknowledgements(AckPolicy policy) {
            this.acknowledgements = Objects.requireNonNull(policy, "acknowledgements");
            return this;
        }

        /**
         * How this node runs campaigns: unsubscribe links, messages in flight per channel (default:
         * {@link dev.switchboard.inbox.campaign.CampaignSettings#defaults()}, no unsubscribe link).
         */
        public Builder campaigns(dev.switchboard.inbox.campaign.CampaignSettings settings) {
            this.campaigns = Objects.requireNonNull(settings, "campaigns");
            return this;
        }

        /**
         * The instrumentation the inbox reports ingest, duplicates, sends and pacing to (default: none), e.g. the
         * {@code switchboard-micrometer} module's meters and observations.
         */
        public Builder observer(InboxObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Adds a listener that hears every event committed after {@link Inbox#start()}. */
        public Builder listener(InboxListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** How often a node tries to take the lease of a polling channel (at most 10 s, default 5 s). */
        public Builder leaseCheckInterval(Duration interval) {
            this.leaseCheckInterval = Objects.requireNonNull(interval, "leaseCheckInterval");
            return this;
        }

        /** How often the feed is read for other nodes' events (default 500 ms; local events are dispatched at once). */
        public Builder eventPollInterval(Duration interval) {
            this.eventPollInterval = Objects.requireNonNull(interval, "eventPollInterval");
            return this;
        }

        /** The most inbound events committed in one transaction (group commit; default 100). */
        public Builder ingestBatchSize(int size) {
            this.ingestBatchSize = size;
            return this;
        }

        /**
         * How many ingest threads commit in parallel (default 4). Events of one account always go through the same
         * thread, so they are stored in the order the channel delivered them.
         */
        public Builder ingestThreads(int threads) {
            this.ingestThreads = threads;
            return this;
        }

        /**
         * The inbox, not started yet.
         *
         * @throws IllegalStateException when no store is set or a channel id is repeated within a tenant
         * @throws IllegalArgumentException when an option is out of range (the message names it)
         */
        public Inbox build() {
            if (store == null) {
                throw new IllegalStateException("an InboxStore is required: call store(...) with the JDBC store or"
                        + " new InMemoryInboxStore()");
            }
            if (!duplicateChannels.isEmpty()) {
                throw new IllegalStateException("channel ids must be unique per tenant; added more than once: "
                        + duplicateChannels);
            }
            if (nodeId.isBlank()) {
                throw new IllegalArgumentException("nodeId must not be blank");
            }
            if (reopenWindow.isNegative()) {
                throw new IllegalArgumentException("reopenWindow must not be negative, got " + reopenWindow);
            }
            if (leaseCheckInterval.isZero() || leaseCheckInterval.isNegative()
                    || leaseCheckInterval.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("leaseCheckInterval must be within (0, 10 s] so another node takes"
                        + " over a polling channel within 30 s, got " + leaseCheckInterval);
            }
            if (eventPollInterval.isZero() || eventPollInterval.isNegative()) {
                throw new IllegalArgumentException("eventPollInterval must be positive, got " + eventPollInterval);
            }
            if (ingestBatchSize < 1 || ingestBatchSize > 10_000) {
                throw new IllegalArgumentException("ingestBatchSize must be within 1..10000, got " + ingestBatchSize);
            }
            if (processedEventRetention.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("processedEventRetention must be at least 1 day, got "
                        + processedEventRetention);
            }
            if (ingestThreads < 1 || ingestThreads > 64) {
                throw new IllegalArgumentException("ingestThreads must be within 1..64, got " + ingestThreads);
            }
            return new Inbox(this);
        }
    }
}
