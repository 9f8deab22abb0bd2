package dev.switchboard.inbox.routing;

import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.InboxListener;
import dev.switchboard.inbox.Subscription;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbox node's routing: the settings of each tenant that turned routing on, a listener on the durable event feed
 * (a customer's message queues its conversation and routes it; a resolution frees capacity; an agent coming online
 * takes waiting work), and a sweep every {@code sweepInterval} that returns an offline agent's unanswered
 * conversations after the grace period and drains the queues. Every node runs the same reactions; the store's atomic
 * check-and-assign makes them safe to repeat, so two nodes never assign one conversation twice or an agent beyond
 * their capacity. The inbox creates one; hosts use it per tenant through {@code TenantInbox.routing()}. Thread-safe.
 */
public final class RoutingService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoutingService.class);
    /** How many waiting conversations a drain reads at once. */
    static final int PAGE = 200;
    /** How often a drain starts over after finding its read outdated before it leaves the rest to the next one. */
    private static final int MAX_STALE_ROUNDS = 100;

    private final Assigner assigner;
    private final CountedAssignees counted;
    private final Function<InboxListener, Subscription> subscribe;
    private final Runnable wake;
    private final Duration sweepInterval;
    private final Map<TenantId, RoutingSettings> settings = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private ScheduledExecutorService worker;
    private Subscription subscription;
    private boolean closed;

    /**
     * Called by the inbox.
     *
     * @param channelTypes the type of a tenant's channel, when it is configured
     * @param subscribe adds a listener to the node's event feed
     * @param wake wakes the node's feed dispatcher after a commit
     */
    public RoutingService(InboxStore store, Clock clock, BiFunction<TenantId, ChannelId, Optional<ChannelType>>
            channelTypes, Function<InboxListener, Subscription> subscribe, Runnable wake, Duration sweepInterval) {
        this.assigner = new Assigner(Objects.requireNonNull(store, "store"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(channelTypes, "channelTypes"));
        this.counted = new CountedAssignees(assigner);
        this.subscribe = Objects.requireNonNull(subscribe, "subscribe");
        this.wake = Objects.requireNonNull(wake, "wake");
        this.sweepInterval = Objects.requireNonNull(sweepInterval, "sweepInterval");
    }

    /** The routing of one tenant. */
    public Routing forTenant(TenantId tenant) {
        return new Routing(this, Objects.requireNonNull(tenant, "tenant"));
    }

    Assigner assigner() {
        return assigner;
    }

    void committed() {
        wake.run();
    }

    /** The tenant's settings, the defaults until it configured its own. */
    RoutingSettings settings(TenantId tenant) {
        return settings.getOrDefault(tenant, RoutingSettings.defaults());
    }

    /** Turns routing on for the tenant (or changes it); starts this node's listener and sweep on first use. */
    void configure(TenantId tenant, RoutingSettings routingSettings) {
        settings.put(tenant, Objects.requireNonNull(routingSettings, "settings"));
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the inbox is closed");
            }
            if (worker == null) {
                worker = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "switchboard-routing");
                    t.setDaemon(true);
                    return t;
                });
                worker.scheduleWithFixedDelay(this::sweepAll, sweepInterval.toMillis(), sweepInterval.toMillis(),
                        TimeUnit.MILLISECONDS);
                subscription = subscribe.apply(this::onEvent);
            }
        }
    }

    boolean isConfigured(TenantId tenant) {
        return settings.containsKey(tenant);
    }

    /** Reacts to a committed event on the routing thread, so the feed dispatcher never waits for the store. */
    private void onEvent(InboxEvent event) {
        RoutingSettings s = settings.get(event.tenant());
        if (s == null || !relevant(event)
                || event.type() == InboxEvent.Type.MESSAGE_RECEIVED && !s.routeInbound()) {
            return;
        }
        synchronized (lifecycle) {
            if (worker == null || closed) {
                return;
            }
            worker.execute(() -> handle(event));
        }
    }

    private static boolean relevant(InboxEvent e) {
        return switch (e.type()) {
            case MESSAGE_RECEIVED -> !"true".equals(e.attributes().get(InboxEvent.Attribute.AUTOMATED));
            case CONVERSATION_RESOLVED, AGENT_UPDATED -> true;
            default -> false;
        };
    }

    private void handle(InboxEvent event) {
        try {
            TenantId tenant = event.tenant();
            switch (event.type()) {
                case MESSAGE_RECEIVED -> route(tenant, event.conversation().orElseThrow());
                case CONVERSATION_RESOLVED -> {
                    ConversationId folded = event.conversation().orElseThrow();
                    Optional<ConversationId> into = event.attribute(InboxEvent.Attribute.INTO).map(ConversationId::of);
                    if (into.isEmpty()) {
                        resolved(tenant, folded);
                    } else {
                        merged(tenant, folded, into.get());
                    }
                }
                default -> drain(tenant);
            }
        } catch (RuntimeException e) {
            log.warn("Routing event {} of tenant {} failed; the next sweep retries: {}", event.seq(), event.tenant(),
                    e.toString());
        }
    }

    private void sweepAll() {
        for (TenantId tenant : List.copyOf(settings.keySet())) {
            try {
                sweep(tenant);
            } catch (RuntimeException e) {
                log.warn("Routing sweep of tenant {} failed: {}", tenant, e.toString());
            }
        }
    }

    /**
     * Counts a reopened conversation's former assignee against their capacity (or queues it when they are offline
     * or full), queues the conversation if it needs an agent, tries its previous agent (sticky), then drains.
     */
    Optional<String> route(TenantId tenant, ConversationId conversation) {
        RoutingSettings s = settings(tenant);
        settleUncounted(tenant, conversation, s, CountedAssignees.REOPENED);
        Optional<QueuedConversation> needing = assigner.needingAgent(tenant, conversation, s);
        // the sticky agent first, before the conversation is in the queue where any node's drain could take it
        Optional<String> previous = needing.flatMap(q -> assigner.previousAgent(q, s));
        if (previous.isPresent()
                && assigner.assign(needing.get(), previous.get(), "sticky", true) == AssignOutcome.ASSIGNED) {
            committed();
        } else if (needing.isPresent() && assigner.enqueue(tenant, conversation, s).isPresent()) {
            committed();
            drain(tenant);
        }
        return assigner.store().inTransaction(tx -> tx.conversation(tenant, conversation))
                .flatMap(c -> c.assignee());
    }

    /** A reopened (or pre-routing) conversation's assignee who holds no assignment: kept within capacity, or queued. */
    private void settleUncounted(TenantId tenant, ConversationId conversation, RoutingSettings s, String reason) {
        Optional<String> uncounted = counted.uncounted(tenant, conversation);
        if (uncounted.isPresent() && counted.settle(tenant, conversation, uncounted.get(), s, reason)
                != AssignOutcome.ALREADY_ASSIGNED) {
            committed();
        }
    }

    /**
     * Called by the inbox for an agent action assigning a conversation ({@code TenantInbox.assign}) in a tenant that
     * routes on this node: the assignment counts against the agent's capacity and replaces any other in one
     * transaction. Empty when routing does not handle it (the tenant has no routing on this node, or the
     * conversation is resolved): the inbox then sets the assignee as it did before routing.
     *
     * @throws java.util.NoSuchElementException when the conversation does not exist in the tenant
     * @throws AssignmentRefusedException when the agent is not registered or has no room
     */
    public Optional<dev.switchboard.model.Conversation> assignByAgentAction(TenantId tenant,
            ConversationId conversation, String agentId) {
        RoutingSettings s = settings.get(tenant);
        if (s == null) {
            return Optional.empty();
        }
        Optional<dev.switchboard.model.Conversation> assigned = counted.assign(tenant, conversation, agentId, s);
        assigned.ifPresent(c -> committed());
        return assigned;
    }

    /**
     * Called by the inbox for an agent action removing a conversation's assignee ({@code TenantInbox.unassign}) in a
     * tenant that routes on this node: the capacity it held is freed and the conversation waits in the queue. Empty
     * when routing does not handle it (no routing on this node, or a resolved conversation).
     *
     * @throws java.util.NoSuchElementException when the conversation does not exist in the tenant
     */
    public Optional<dev.switchboard.model.Conversation> unassignByAgentAction(TenantId tenant,
            ConversationId conversation) {
        RoutingSettings s = settings.get(tenant);
        if (s == null) {
            return Optional.empty();
        }
        Optional<dev.switchboard.model.Conversation> released = counted.unassign(tenant, conversation, s);
        released.ifPresent(c -> committed());
        return released;
    }

    /**
     * Called by the inbox after an agent action changed a conversation (status, priority, tags): a resolved one frees
     * its agent's capacity and leaves the queue at once (not only when the feed event arrives); a waiting one is
     * queued again under its new priority and queue, keeping its wait. Does nothing for tenants without routing.
     */
    public void conversationChanged(TenantId tenant, ConversationId conversation) {
        RoutingSettings s = settings.get(tenant);
        if (s == null) {
            return;
        }
        try {
            boolean resolved = assigner.store().inTransaction(tx -> {
                Optional<dev.switchboard.model.Conversation> c = tx.conversation(tenant, conversation);
                if (c.isEmpty() || c.get().status() == dev.switchboard.model.ConversationStatus.RESOLVED) {
                    return true;
                }
                tx.queued(tenant, conversation).ifPresent(q -> {
                    tx.dequeueConversation(tenant, conversation);
                    tx.queueConversation(assigner.entryFor(tx, c.get(), s, q.waitingSince()));
                });
                return false;
            });
            if (resolved) {
                assigner.store().inTransaction(tx -> tx.releaseAssignment(tenant, conversation).isPresent()
                        | tx.dequeueConversation(tenant, conversation));
            } else {
                // an agent reopened it: its former assignee counts again
                settleUncounted(tenant, conversation, s, CountedAssignees.REOPENED);
            }
            // always, even when the feed's reaction released it first: when this call returns, the freed capacity
            // has been offered to the queue
            drain(tenant);
        } catch (RuntimeException e) {
            log.warn("Routing could not follow the change of conversation {}: {}", conversation, e.toString());
        }
    }

    /**
     * A merge folded {@code folded} into {@code kept} (resolving it) and may have carried its assignee over: frees
     * what the folded one held, then counts the carried assignee within capacity or queues the kept one, and drains.
     */
    private void merged(TenantId tenant, ConversationId folded, ConversationId kept) {
        assigner.store().inTransaction(tx -> tx.releaseAssignment(tenant, folded).isPresent()
                | tx.dequeueConversation(tenant, folded));
        settleUncounted(tenant, kept, settings(tenant), "merged");
        drain(tenant);
    }

    /** Frees the capacity a resolved conversation held, takes it out of the queue, and drains. */
    void resolved(TenantId tenant, ConversationId conversation) {
        boolean changed = assigner.store().inTransaction(tx -> tx.releaseAssignment(tenant, conversation).isPresent()
                | tx.dequeueConversation(tenant, conversation));
        if (changed) {
            drain(tenant);
        }
    }

    /** Returns overdue offline agents' unanswered conversations to the queue, then drains. */
    int sweep(TenantId tenant) {
        RoutingSettings s = settings(tenant);
        java.time.Instant cutoff = assigner.now().minus(s.offlineGrace());
        List<Assignment> overdue = assigner.store().inTransaction(tx -> {
            List<Assignment> out = new ArrayList<>();
            for (AgentStatus a : tx.agents(tenant)) {
                if (a.presence() == Presence.OFFLINE && !a.presenceSince().isAfter(cutoff)) {
                    out.addAll(tx.assignments(tenant, a.id()));
                }
            }
            return out;
        });
        int returned = 0;
        for (Assignment a : overdue) {
            if (assigner.store().inTransaction(tx -> assigner.requeue(tx, a, true, "agent offline", s))) {
                returned++;
            }
        }
        if (returned > 0) {
            committed();
        }
        drain(tenant);
        return returned;
    }

    /**
     * Assigns waiting conversations, highest priority and longest wait first, while online agents have room: a pass
     * reads the online agents and their loads once, then the queue page by page ({@value #PAGE} at a time, from the
     * head) until nobody online has room or the queue ends, so a conversation deep in the queue that only a freed
     * agent can take is found however long the queue; each queue's router chooses, and each assignment is one short
     * transaction (the store re-checks capacity under the agent's lock, so a stale read costs a new pass from the
     * head, never an over-assignment). Returns how many it assigned.
     */
    int drain(TenantId tenant) {
        RoutingSettings s = settings(tenant);
        if (!s.anyAutomatic()) {
            return 0;
        }
        int total = 0;
        int staleRounds = 0;
        while (true) {
            // only agents with room (the store keeps each agent's open count): a pass costs little when few have it
            Snapshot snap = assigner.store().inTransaction(tx -> {
                AvailableAgents available = tx.availableAgents(tenant);
                return new Snapshot(new ArrayList<>(available.agents()), loads(available.loads()));
            });
            if (!snap.anyRoom()) {
                return total; // whoever frees capacity next drains again
            }
            Pass pass = new Pass();
            List<QueuedConversation> page = assigner.store().inTransaction(tx -> tx.waiting(tenant, PAGE));
            while (!page.isEmpty()) {
                assignPage(s, snap, page, pass);
                if (pass.stale || !snap.anyRoom() || page.size() < PAGE) {
                    break;
                }
                QueuedConversation last = page.get(page.size() - 1);
                page = assigner.store().inTransaction(tx -> tx.waitingAfter(tenant, last, PAGE));
            }
            total += pass.assigned;
            if (pass.assigned > 0) {
                committed();
            }
            if (!pass.stale || ++staleRounds > MAX_STALE_ROUNDS) {
                return total;
            }
            // someone (another node, another drain) changed what this pass read: read it again from the head
        }
    }

    /** Assigns what it can of one page of the queue, recording the assignments in the snapshot. */
    private void assignPage(RoutingSettings s, Snapshot snap, List<QueuedConversation> page, Pass pass) {
        for (QueuedConversation q : page) {
            if (!snap.anyRoom()) {
                return;
            }
            Router router = s.routerFor(q.queue());
            // loads only grow during a pass: a kind of conversation nobody could take stays untakeable
            if (!router.assignsAutomatically() || pass.untakeable.contains(Pass.kind(q))) {
                continue;
            }
            List<Candidate> candidates = Assigner.candidates(q, snap.online, snap.loads);
            if (candidates.isEmpty()) {
                pass.untakeable.add(Pass.kind(q));
                continue;
            }
            Optional<String> chosen = choose(router, q, candidates);
            if (chosen.isEmpty()) {
                continue;
            }
            if (assigner.assign(q, chosen.get(), router.toString(), true) != AssignOutcome.ASSIGNED) {
                pass.stale = true;
                return;
            }
            snap.record(chosen.get(), q.channelType(), assigner.now());
            pass.assigned++;
        }
    }

    private static Optional<String> choose(Router router, QueuedConversation q, List<Candidate> candidates) {
        try {
            Optional<String> chosen = router.choose(q, candidates);
            if (chosen.isPresent() && candidates.stream().noneMatch(c -> c.id().equals(chosen.get()))) {
                log.warn("Router {} chose {}, who is not a candidate for {}; leaving it waiting", router,
                        chosen.get(), q.conversation());
                return Optional.empty();
            }
            return chosen;
        } catch (RuntimeException e) {
            log.warn("Router {} failed for {}; leaving it waiting: {}", router, q.conversation(), e.toString());
            return Optional.empty();
        }
    }

    static Map<String, Map<ChannelType, Integer>> loads(List<AgentLoad> loads) {
        Map<String, Map<ChannelType, Integer>> out = new HashMap<>();
        for (AgentLoad l : loads) {
            out.computeIfAbsent(l.agent(), a -> new HashMap<>()).merge(l.channelType(), l.open(), Integer::sum);
        }
        return out;
    }

    /** Stops the listener and the sweep. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
            if (subscription != null) {
                subscription.close();
            }
            if (worker != null) {
                worker.shutdownNow();
            }
        }
    }

    /** What one drain pass found so far. */
    private static final class Pass {
        final java.util.Set<List<Object>> untakeable = new java.util.HashSet<>();
        int assigned;
        boolean stale;

        /** What decides who may take a conversation: its queue, skills and channel type. */
        static List<Object> kind(QueuedConversation q) {
            return List.of(q.queue(), q.skills(), q.channelType());
        }
    }

    /** The online agents and their loads as one drain pass read them, updated locally as it assigns. */
    private static final class Snapshot {
        final List<AgentStatus> online;
        final Map<String, Map<ChannelType, Integer>> loads;

        Snapshot(List<AgentStatus> online, Map<String, Map<ChannelType, Integer>> loads) {
            this.online = online;
            this.loads = loads;
        }

        boolean anyRoom() {
            return online.stream().anyMatch(a -> loads.getOrDefault(a.id(), Map.of()).values().stream()
                    .mapToInt(Integer::intValue).sum() < a.agent().capacity());
        }

        void record(String agent, ChannelType type, java.time.Instant at) {
            loads.computeIfAbsent(agent, a -> new HashMap<>()).merge(type, 1, Integer::sum);
            online.replaceAll(a -> a.id().equals(agent) ? a.assignedAt(at) : a);
        }
    }
}
