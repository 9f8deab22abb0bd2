package dev.switchboard.inbox.routing;

import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's agents, presence, queue and assignment, from {@code TenantInbox.routing()}. Agents and their presence
 * live in the store, shared by every node; changes are events in the durable feed ({@code AGENT_UPDATED}, and
 * {@code CONVERSATION_UPDATED} with {@code assignee}/{@code queue} for assignments). Once {@link #configure} turned
 * routing on for the tenant, a customer's message queues the conversation and routes it by the tenant's
 * {@link RoutingSettings}; without it, nothing is assigned automatically but the calls below work. Thread-safe; cheap
 * to create.
 *
 * <pre>{@code
 * Routing routing = desk.routing();
 * routing.configure(RoutingSettings.builder().router(Router.leastBusy()).build());
 * routing.register(Agent.builder("anna").languages("ru", "en").capacity(3).build());
 * routing.setPresence("anna", Presence.ONLINE);
 * routing.queue(20).forEach(w -> System.out.println(w.conversation() + " waits " + w.waited(Instant.now())));
 * }</pre>
 */
public final class Routing {
    private final RoutingService service;
    private final TenantId tenant;

    Routing(RoutingService service, TenantId tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    /** The tenant this routing belongs to. */
    public TenantId tenant() {
        return tenant;
    }

    /**
     * Turns automatic routing on for this tenant on this node, or changes its settings. Settings are per node: give
     * every node of a cluster the same.
     */
    public void configure(RoutingSettings settings) {
        service.configure(tenant, settings);
        service.drain(tenant);
    }

    /** The settings in force ({@link RoutingSettings#defaults()} until {@link #configure} is called). */
    public RoutingSettings settings() {
        return service.settings(tenant);
    }

    // ---- agents -------------------------------------------------------------------------------------------------

    /**
     * Registers an agent, offline.
     *
     * @throws IllegalArgumentException when an agent with this id is registered already
     */
    public AgentStatus register(Agent agent) {
        Objects.requireNonNull(agent, "agent");
        AgentStatus registered = service.assigner().store().inTransaction(tx -> {
            if (tx.agent(tenant, agent.id()).isPresent()) {
                throw new IllegalArgumentException("agent " + agent.id() + " is already registered in tenant "
                        + tenant + "; use update");
            }
            Instant now = service.assigner().now();
            AgentStatus status = new AgentStatus(agent, Presence.OFFLINE, now, Optional.empty());
            tx.saveAgent(tenant, status);
            tx.appendEvent(agentEvent(agent.id(), "REGISTERED", Presence.OFFLINE, now));
            return status;
        });
        service.committed();
        return registered;
    }

    /**
     * Changes an agent's settings (languages, skills, teams, capacities), keeping their presence and conversations.
     * Lowering a capacity below what the agent holds takes nothing away; they get no more until they are below it.
     *
     * @throws NoSuchElementException when no agent has this id
     */
    public AgentStatus update(Agent agent) {
        Objects.requireNonNull(agent, "agent");
        AgentStatus updated = service.assigner().store().inTransaction(tx -> {
            AgentStatus current = tx.agent(tenant, agent.id()).orElseThrow(() -> noAgent(agent.id()));
            AgentStatus changed = current.with(agent);
            tx.saveAgent(tenant, changed);
            tx.appendEvent(agentEvent(agent.id(), "UPDATED", changed.presence(), service.assigner().now()));
            return changed;
        });
        service.committed();
        service.drain(tenant);
        return updated;
    }

    /**
     * Removes an agent. Every open conversation they held goes back to the queue (answered or not), so nothing is
     * lost; returns those conversations.
     *
     * @throws NoSuchElementException when no agent has this id
     */
    public List<ConversationId> remove(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        RoutingSettings s = service.settings(tenant);
        List<ConversationId> returned = service.assigner().store().inTransaction(tx -> {
            // deleting first locks the agent row: an assignment racing on another node either committed before
            // (and is read below) or finds no agent
            if (!tx.deleteAgent(tenant, agentId)) {
                throw noAgent(agentId);
            }
            List<ConversationId> out = new ArrayList<>();
            for (Assignment a : tx.assignments(tenant, agentId)) {
                if (service.assigner().requeue(tx, a, false, "agent removed", s)) {
                    out.add(a.conversation());
                }
            }
            tx.appendEvent(agentEvent(agentId, "REMOVED", Presence.OFFLINE, service.assigner().now()));
            return out;
        });
        service.committed();
        service.drain(tenant);
        return returned;
    }

    /**
     * Sets an agent's presence. An agent coming online takes waiting conversations at once; an agent going offline
     * keeps theirs for the grace period ({@link RoutingSettings#offlineGrace()}), after which the unanswered ones go
     * back to the queue.
     *
     * @throws NoSuchElementException when no agent has this id
     */
    public AgentStatus setPresence(String agentId, Presence presence) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(presence, "presence");
        AgentStatus changed = service.assigner().store().inTransaction(tx -> {
            AgentStatus current = tx.agent(tenant, agentId).orElseThrow(() -> noAgent(agentId));
            if (current.presence() == presence) {
                return current;
            }
            Instant now = service.assigner().now();
            AgentStatus next = current.with(presence, now);
            tx.saveAgent(tenant, next);
            tx.appendEvent(agentEvent(agentId, "PRESENCE", presence, now));
            return next;
        });
        service.committed();
        if (presence == Presence.ONLINE) {
            service.drain(tenant);
        }
        return changed;
    }

    /** A registered agent with presence, empty when none has this id. */
    public Optional<AgentStatus> agent(String agentId) {
        return service.assigner().store().inTransaction(tx -> tx.agent(tenant, agentId));
    }

    /** Every registered agent of the tenant, by id. */
    public List<AgentStatus> agents() {
        return service.assigner().store().inTransaction(tx -> tx.agents(tenant));
    }

    // ---- assignment ---------------------------------------------------------------------------------------------

    /**
     * Routes one conversation now: queues it if it needs an agent, sends it to the agent who served the customer
     * recently if they are online with room (sticky), else assigns waiting conversations by the routers. Returns the
     * conversation's assignee afterwards (empty when it waits). Inbound messages do this by themselves once routing
     * is {@link #configure configured}.
     */
    public Optional<String> route(ConversationId conversation) {
        return service.route(tenant, Objects.requireNonNull(conversation, "conversation"));
    }

    /**
     * Assigns a conversation to an agent within the agent's capacity (an agent or supervisor choosing); the
     * conversation is queued first if it was not. This never goes beyond the agent's capacity and counts the
     * conversation against it; unlike {@code TenantInbox.assign} (which follows the same rule once routing is
     * configured, and reports a refusal with an exception), it returns the outcome and leaves an assigned
     * conversation with its agent.
     */
    public AssignOutcome assign(ConversationId conversation, String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        Optional<QueuedConversation> q = service.assigner().enqueue(tenant, conversation, service.settings(tenant));
        if (q.isEmpty()) {
            return AssignOutcome.ALREADY_ASSIGNED;
        }
        AssignOutcome outcome = service.assigner().assign(q.get(), agentId, "chosen", false);
        service.committed();
        return outcome;
    }

    /**
     * The agent takes the next waiting conversation they may serve (their queues, skills and room), highest priority
     * and longest wait first: the manual policy's way to work. Empty when none is waiting for them.
     *
     * @throws NoSuchElementException when no agent has this id
     */
    public Optional<ConversationId> take(String agentId) {
        AgentStatus status = agent(agentId).orElseThrow(() -> noAgent(agentId));
        for (int attempt = 0; attempt < 3; attempt++) {
            var loads = RoutingService.loads(service.assigner().store().inTransaction(tx -> tx.agentLoads(tenant)));
            Optional<QueuedConversation> next = firstTakeable(status, loads);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            AssignOutcome outcome = service.assigner().assign(next.get(), agentId, "taken", false);
            service.committed();
            if (outcome == AssignOutcome.ASSIGNED) {
                return Optional.of(next.get().conversation());
            }
            if (outcome != AssignOutcome.ALREADY_ASSIGNED) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The first waiting conversation the agent may take, reading the queue page by page from its head. */
    private Optional<QueuedConversation> firstTakeable(AgentStatus status,
                                                       java.util.Map<String, java.util.Map<dev.switchboard.model
                                                               .ChannelType, Integer>> loads) {
        if (loadsFull(status, loads)) {
            return Optional.empty(); // no room at all: no need to read the queue
        }
        List<AgentStatus> asOnline = List.of(status.with(Presence.ONLINE, status.presenceSince()));
        List<QueuedConversation> page = service.assigner().store().inTransaction(tx -> tx.waiting(tenant,
                RoutingService.PAGE));
        while (!page.isEmpty()) {
            Optional<QueuedConversation> found = page.stream()
                    .filter(q -> !Assigner.candidates(q, asOnline, loads).isEmpty()).findFirst();
            if (found.isPresent() || page.size() < RoutingService.PAGE) {
                return found;
            }
            QueuedConversation last = page.get(page.size() - 1);
            page = service.assigner().store().inTransaction(tx -> tx.waitingAfter(tenant, last, RoutingService.PAGE));
        }
        return Optional.empty();
    }

    private static boolean loadsFull(AgentStatus status, java.util.Map<String, java.util.Map<dev.switchboard.model
            .ChannelType, Integer>> loads) {
        return loads.getOrDefault(status.id(), java.util.Map.of()).values().stream().mapToInt(Integer::intValue)
                .sum() >= status.agent().capacity();
    }

    /** Hands an assigned conversation back to the queue (its wait counts from the customer's last message). */
    public boolean handBack(ConversationId conversation) {
        Objects.requireNonNull(conversation, "conversation");
        RoutingSettings s = service.settings(tenant);
        boolean back = service.assigner().store().inTransaction(tx -> tx.assignment(tenant, conversation)
                .map(a -> service.assigner().requeue(tx, a, false, "handed back", s)).orElse(false));
        service.committed();
        return back;
    }

    /**
     * Assigns waiting conversations now, highest priority and longest wait first, while online agents have room;
     * returns how many it assigned. Routing does this by itself whenever capacity frees up or an agent comes online;
     * call it after changing something routing cannot see (e.g. capacity freed by another tool).
     */
    public int assignWaiting() {
        return service.drain(tenant);
    }

    /**
     * Returns overdue offline agents' unanswered conversations to the queue and assigns waiting ones; returns how
     * many went back. Every node runs it on its own schedule; call it to act at once (tests with a manual clock).
     */
    public int sweep() {
        return service.sweep(tenant);
    }

    // ---- queries ------------------------------------------------------------------------------------------------

    /** The first {@code limit} waiting conversations, in the order they will be served; see {@code waited(now)}. */
    public List<QueuedConversation> queue(int limit) {
        return service.assigner().store().inTransaction(tx -> tx.waiting(tenant, limit));
    }

    /** How many conversations wait. */
    public long waitingCount() {
        return service.assigner().store().inTransaction(tx -> tx.waitingCount(tenant));
    }

    /**
     * How many open conversations each agent holds, per channel type, as counted against their capacities (a
     * console's load column); agents holding none are not listed.
     */
    public List<AgentLoad> loads() {
        return service.assigner().store().inTransaction(tx -> tx.agentLoads(tenant));
    }

    /** The open conversations an agent holds (counted against their capacity), oldest assignment first. */
    public List<Assignment> conversationsOf(String agentId) {
        return service.assigner().store().inTransaction(tx -> tx.assignments(tenant, agentId));
    }

    private InboxEvent agentEvent(String agentId, String kind, Presence presence, Instant at) {
        return Assigner.event(tenant, InboxEvent.Type.AGENT_UPDATED, null, at, InboxEvent.Attribute.AGENT, agentId,
                InboxEvent.Attribute.KIND, kind, InboxEvent.Attribute.PRESENCE, presence.name());
    }

    private NoSuchElementException noAgent(String agentId) {
        return new NoSuchElementException("no agent " + agentId + " in tenant " + tenant);
    }

    @Override
    public String toString() {
        return "Routing[" + tenant + "]";
    }
}
