package dev.switchboard.inbox.routing;

import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The transactions routing runs: queueing a conversation, assigning one to one agent (a short transaction that locks
 * only that agent, so nodes never wait on each other in a cycle), handing one back to the queue, and the events each
 * appends. Internal.
 */
final class Assigner {
    /** The channel type of a conversation whose channel is gone or unknown. */
    static final ChannelType UNKNOWN_TYPE = ChannelType.of("unknown");

    private final InboxStore store;
    private final Clock clock;
    private final BiFunction<TenantId, ChannelId, Optional<ChannelType>> channelTypes;

    Assigner(InboxStore store, Clock clock, BiFunction<TenantId, ChannelId, Optional<ChannelType>> channelTypes) {
        this.store = store;
        this.clock = clock;
        this.channelTypes = channelTypes;
    }

    InboxStore store() {
        return store;
    }

    Instant now() {
        return clock.instant();
    }

    /** Where a conversation waits, what it needs, since {@code since}. */
    QueuedConversation entryFor(InboxTransaction tx, Conversation c, RoutingSettings settings, Instant since) {
        Optional<String> language = tx.customer(c.tenant(), c.customer()).flatMap(Customer::language)
                .map(l -> l.toLowerCase(java.util.Locale.ROOT))
                .or(() -> c.channel().flatMap(settings::languageOf));
        ChannelType type = c.channel().flatMap(ch -> channelTypes.apply(c.tenant(), ch)).orElse(UNKNOWN_TYPE);
        return new QueuedConversation(c.tenant(), c.id(), c.customer(), settings.queueOf(c), c.priority(),
                type, language, settings.requiredSkillsOf(c), since);
    }

    /**
     * What {@link #enqueue} would queue, without queueing it: the stored entry, or a new one for an open, unassigned
     * conversation; empty when it needs no agent. Lets the sticky agent be tried before the conversation is visible
     * in the queue, where any drain could take it first.
     */
    Optional<QueuedConversation> needingAgent(TenantId tenant, ConversationId id, RoutingSettings settings) {
        return store.inTransaction(tx -> {
            Optional<Conversation> found = tx.conversation(tenant, id);
            if (found.isEmpty() || found.get().status() != ConversationStatus.OPEN
                    || found.get().assignee().isPresent() || tx.assignment(tenant, id).isPresent()) {
                return Optional.<QueuedConversation>empty();
            }
            return tx.queued(tenant, id).or(() -> Optional.of(entryFor(tx, found.get(), settings,
                    found.get().lastInboundAt().orElse(clock.instant()))));
        });
    }

    /**
     * Queues an open, unassigned conversation (once); empty when it needs no agent (resolved, pending, assigned, or
     * gone). Returns the queue entry, old or new.
     */
    Optional<QueuedConversation> enqueue(TenantId tenant, ConversationId id, RoutingSettings settings) {
        return store.inTransaction(tx -> {
            Optional<Conversation> found = tx.conversation(tenant, id);
            if (found.isEmpty() || found.get().status() != ConversationStatus.OPEN
                    || found.get().assignee().isPresent() || tx.assignment(tenant, id).isPresent()) {
                return Optional.<QueuedConversation>empty();
            }
            Optional<QueuedConversation> queued = tx.queued(tenant, id);
            if (queued.isPresent()) {
                return queued;
            }
            Conversation c = found.get();
            Instant now = clock.instant();
            QueuedConversation entry = entryFor(tx, c, settings, c.lastInboundAt().orElse(now));
            tx.queueConversation(entry);
            tx.appendEvent(event(tenant, InboxEvent.Type.CONVERSATION_UPDATED, c, now,
                    InboxEvent.Attribute.QUEUE, entry.queue(), InboxEvent.Attribute.SOURCE, "routing"));
            return Optional.of(entry);
        });
    }

    /** The agent who served this customer in another conversation active within the sticky window, if any. */
    Optional<String> previousAgent(QueuedConversation q, RoutingSettings settings) {
        if (settings.stickyWindow().isZero()) {
            return Optional.empty();
        }
        Instant since = clock.instant().minus(settings.stickyWindow());
        return store.inTransaction(tx -> tx.conversationsOf(q.tenant(), Set.of(q.customer())).stream()
                .filter(c -> !c.id().equals(q.conversation()) && c.assignee().isPresent()
                        && !c.updatedAt().isBefore(since))
                .max(Comparator.comparing(Conversation::updatedAt))
                .flatMap(Conversation::assignee));
    }

    /**
     * Assigns a waiting conversation to one agent within their capacity, in one transaction that locks only that
     * agent. Only an online agent takes conversations; a conversation that no longer needs one leaves the queue.
     */
    AssignOutcome assign(QueuedConversation q, String agentId, String reason, boolean onlineOnly) {
        return store.inTransaction(tx -> {
            Optional<AgentStatus> agent = tx.agent(q.tenant(), agentId);
            if (agent.isEmpty()) {
                return AssignOutcome.NO_AGENT;
            }
            if (onlineOnly && agent.get().presence() != Presence.ONLINE) {
                return AssignOutcome.NO_CAPACITY;
            }
            Optional<Conversation> found = tx.conversation(q.tenant(), q.conversation());
            if (found.isEmpty() || found.get().status() != ConversationStatus.OPEN
                    || found.get().assignee().isPresent()) {
                tx.dequeueConversation(q.tenant(), q.conversation());
                return AssignOutcome.ALREADY_ASSIGNED;
            }
            Instant now = clock.instant();
            Agent a = agent.get().agent();
            AssignOutcome outcome = tx.assignWithinCapacity(new Assignment(q.tenant(), q.conversation(), agentId,
                    q.channelType(), now), a.capacity(), a.capacityFor(q.channelType()));
            if (outcome == AssignOutcome.ALREADY_ASSIGNED) {
                // counted already (another node won a race): it must not stay in the queue, or every drain retries it
                tx.dequeueConversation(q.tenant(), q.conversation());
            }
            if (outcome == AssignOutcome.ASSIGNED) {
                Conversation c = found.get().withAssignee(agentId, now);
                tx.saveConversation(c);
                tx.appendEvent(event(q.tenant(), InboxEvent.Type.CONVERSATION_UPDATED, c, now,
                        InboxEvent.Attribute.ASSIGNEE, agentId, InboxEvent.Attribute.SOURCE, "routing",
                        InboxEvent.Attribute.REASON, reason, InboxEvent.Attribute.QUEUE, q.queue(),
                        InboxEvent.Attribute.WAITED_MS, Long.toString(Math.max(0,
                                java.time.Duration.between(q.waitingSince(), now).toMillis()))));
            }
            return outcome;
        });
    }

    /**
     * Hands an assigned conversation back to the queue (waiting since the customer last wrote) and clears its
     * assignee; with {@code onlyUnanswered}, only when the customer is still waiting for an answer (the last message
     * is theirs). True when it went back.
     */
    boolean requeue(InboxTransaction tx, Assignment held, boolean onlyUnanswered, String reason,
                    RoutingSettings settings) {
        Optional<Assignment> current = tx.assignment(held.tenant(), held.conversation());
        if (current.isEmpty() || !current.get().agent().equals(held.agent())) {
            return false;
        }
        Optional<Conversation> found = tx.conversation(held.tenant(), held.conversation());
        if (found.isPresent() && onlyUnanswered && answered(tx, found.get())) {
            return false;
        }
        if (tx.releaseAssignment(held.tenant(), held.conversation()).isEmpty()) {
            return false; // another node released it first
        }
        if (found.isEmpty()) {
            return true;
        }
        Instant now = clock.instant();
        Conversation c = found.get().withoutAssignee(now);
        tx.saveConversation(c);
        String queue = null;
        if (c.status() == ConversationStatus.OPEN) {
            QueuedConversation entry = entryFor(tx, c, settings, c.lastInboundAt().orElse(held.assignedAt()));
            tx.queueConversation(entry);
            queue = entry.queue();
        }
        tx.appendEvent(event(held.tenant(), InboxEvent.Type.CONVERSATION_UPDATED, c, now,
                InboxEvent.Attribute.ASSIGNEE, "", InboxEvent.Attribute.SOURCE, "routing",
                InboxEvent.Attribute.REASON, reason, InboxEvent.Attribute.QUEUE, queue));
        return true;
    }

    /**
     * Whether a person answered the customer's last message: automatic messages after it (an acknowledgement, a
     * bot's {@code ReplyOptions.automated} reply) answer nobody, so the customer still waits.
     */
    private static boolean answered(InboxTransaction tx, Conversation c) {
        List<Message> messages = tx.messages(c.tenant(), c.id());
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message m = messages.get(i);
            if (m.direction() == Direction.INBOUND) {
                return false;
            }
            boolean automatic = tx.outboxEntry(m.id().value() + ":0")
                    .map(e -> e.message().automatic()).orElse(false);
            if (!automatic) {
                return true;
            }
        }
        return false;
    }

    /** The candidates for a waiting conversation among online agents, given their current loads. */
    static List<Candidate> candidates(QueuedConversation q, List<AgentStatus> online,
                                      Map<String, Map<ChannelType, Integer>> loads) {
        return online.stream()
                .filter(s -> s.presence() == Presence.ONLINE && s.agent().serves(q.queue())
                        && s.agent().skills().containsAll(q.skills()))
                .map(s -> {
                    Map<ChannelType, Integer> load = loads.getOrDefault(s.id(), Map.of());
                    int open = load.values().stream().mapToInt(Integer::intValue).sum();
                    return new Candidate(s, open, load.getOrDefault(q.channelType(), 0));
                })
                .filter(c -> c.open() < c.agent().capacity()
                        && c.openOnChannelType() < c.agent().capacityFor(q.channelType()))
                .toList();
    }

    static InboxEvent event(TenantId tenant, InboxEvent.Type type, Conversation c, Instant at, String... attributes) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                attrs.put(attributes[i], attributes[i + 1]);
            }
        }
        return new InboxEvent(0, tenant, type, Optional.ofNullable(c).map(Conversation::id), Optional.empty(),
                Optional.ofNullable(c).map(Conversation::customer), attrs, at);
    }
}
