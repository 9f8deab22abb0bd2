package dev.switchboard.inbox.routing;

import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The transactions that keep every assignee of a tenant with routing counted against capacity, whoever assigns: an
 * agent action through the inbox ({@code TenantInbox.assign}/{@code unassign}), and an open conversation naming an
 * assignee who holds no assignment (a conversation reopened by the customer after its resolution freed the agent, or
 * one assigned before routing was turned on). Each is one short transaction using the store's atomic
 * check-and-assign, so these paths race safely with drains on any node. Internal.
 */
final class CountedAssignees {
    /** The reason of a reopened conversation going back to (or leaving) its former assignee. */
    static final String REOPENED = "reopened";

    private final Assigner assigner;

    CountedAssignees(Assigner assigner) {
        this.assigner = assigner;
    }

    /** The assignee an open conversation names without holding its assignment; empty when none or counted. */
    Optional<String> uncounted(TenantId tenant, ConversationId id) {
        return assigner.store().inTransaction(tx -> uncountedIn(tx, tenant, id).flatMap(Conversation::assignee));
    }

    private static Optional<Conversation> uncountedIn(InboxTransaction tx, TenantId tenant, ConversationId id) {
        return tx.conversation(tenant, id)
                .filter(c -> c.status() == ConversationStatus.OPEN && c.assignee().isPresent())
                .filter(c -> tx.assignment(tenant, id).isEmpty());
    }

    /**
     * Counts the uncounted assignee {@code agentId} against their capacity when they are online with room (a
     * reopened conversation goes back to the agent who had it, a merged one to the agent carried over); otherwise
     * clears the assignee and queues the conversation, keeping its wait. The events name {@code reason}. Returns the
     * outcome of the attempt to keep the agent.
     */
    AssignOutcome settle(TenantId tenant, ConversationId id, String agentId, RoutingSettings settings,
                         String reason) {
        return assigner.store().inTransaction(tx -> {
            Optional<Conversation> found = uncountedIn(tx, tenant, id)
                    .filter(c -> c.assignee().equals(Optional.of(agentId)));
            if (found.isEmpty()) {
                return AssignOutcome.ALREADY_ASSIGNED; // counted, moved or closed meanwhile (another node)
            }
            Conversation c = found.get();
            Instant now = assigner.now();
            QueuedConversation entry = assigner.entryFor(tx, c, settings, c.lastInboundAt().orElse(now));
            Optional<AgentStatus> agent = tx.agent(tenant, agentId);
            AssignOutcome outcome = agent.isEmpty() ? AssignOutcome.NO_AGENT
                    : agent.get().presence() != Presence.ONLINE ? AssignOutcome.NO_CAPACITY
                    : tx.assignWithinCapacity(new Assignment(tenant, id, agentId, entry.channelType(), now),
                            agent.get().agent().capacity(), agent.get().agent().capacityFor(entry.channelType()));
            if (outcome == AssignOutcome.ASSIGNED) {
                Conversation kept = c.withAssignee(agentId, now);
                tx.saveConversation(kept);
                tx.appendEvent(Assigner.event(tenant, InboxEvent.Type.CONVERSATION_UPDATED, kept, now,
                        InboxEvent.Attribute.ASSIGNEE, agentId, InboxEvent.Attribute.SOURCE, "routing",
                        InboxEvent.Attribute.REASON, reason, InboxEvent.Attribute.QUEUE, entry.queue()));
                return outcome;
            }
            if (outcome == AssignOutcome.ALREADY_ASSIGNED || tx.assignment(tenant, id).isPresent()) {
                return AssignOutcome.ALREADY_ASSIGNED; // another transaction counted it meanwhile: leave its write
            }
            Conversation waiting = c.withoutAssignee(now);
            tx.saveConversation(waiting);
            tx.queueConversation(entry);
            tx.appendEvent(Assigner.event(tenant, InboxEvent.Type.CONVERSATION_UPDATED, waiting, now,
                    InboxEvent.Attribute.ASSIGNEE, "", InboxEvent.Attribute.SOURCE, "routing",
                    InboxEvent.Attribute.REASON, reason, InboxEvent.Attribute.QUEUE, entry.queue()));
            return outcome;
        });
    }

    /**
     * An agent action assigning a not-resolved conversation: within the agent's capacity (an offline or away agent
     * may be chosen), replacing any other assignee in the same transaction, so a refusal changes nothing. Empty when
     * the conversation is resolved (nothing to count: the caller sets the assignee as before).
     *
     * @throws NoSuchElementException when the conversation does not exist in the tenant
     * @throws AssignmentRefusedException when the agent is not registered or has no room
     */
    Optional<Conversation> assign(TenantId tenant, ConversationId id, String agentId, RoutingSettings settings) {
        return assigner.store().inTransaction(tx -> {
            Conversation c = tx.conversation(tenant, id).orElseThrow(() -> noConversation(tenant, id));
            if (c.status() == ConversationStatus.RESOLVED) {
                return Optional.<Conversation>empty();
            }
            Instant now = assigner.now();
            Optional<Assignment> current = tx.assignment(tenant, id);
            if (current.isPresent() && current.get().agent().equals(agentId)) {
                // already theirs: nothing to write (a write from this read could undo a move made meanwhile)
                return Optional.of(c);
            }
            AgentStatus agent = tx.agent(tenant, agentId).orElseThrow(() -> new AssignmentRefusedException(
                    AssignOutcome.NO_AGENT, "conversation " + id + " cannot be assigned to " + agentId
                    + ": no agent " + agentId + " is registered in tenant " + tenant));
            QueuedConversation entry = tx.queued(tenant, id)
                    .orElseGet(() -> assigner.entryFor(tx, c, settings, c.lastInboundAt().orElse(now)));
            current.ifPresent(a -> tx.releaseAssignment(tenant, id));
            Agent a = agent.agent();
            AssignOutcome outcome = tx.assignWithinCapacity(new Assignment(tenant, id, agentId, entry.channelType(),
                    now), a.capacity(), a.capacityFor(entry.channelType()));
            if (outcome != AssignOutcome.ASSIGNED) {
                // thrown inside the transaction: the release above is rolled back with it
                throw new AssignmentRefusedException(outcome, "conversation " + id + " cannot be assigned to agent "
                        + agentId + ": " + (outcome == AssignOutcome.NO_CAPACITY ? "the agent holds their capacity ("
                        + a.capacity() + " overall, " + a.capacityFor(entry.channelType()) + " of "
                        + entry.channelType().value() + ")" : "another assignment got it first; try again"));
            }
            Conversation assigned = c.withAssignee(agentId, now);
            tx.saveConversation(assigned);
            tx.appendEvent(Assigner.event(tenant, InboxEvent.Type.CONVERSATION_UPDATED, assigned, now,
                    InboxEvent.Attribute.ASSIGNEE, agentId, InboxEvent.Attribute.SOURCE, "routing",
                    InboxEvent.Attribute.REASON, "chosen", InboxEvent.Attribute.QUEUE, entry.queue()));
            return Optional.of(assigned);
        });
    }

    /**
     * An agent action removing a not-resolved conversation's assignee: frees the capacity it held and queues the
     * conversation (waiting since the customer last wrote). Empty when the conversation is resolved.
     *
     * @throws NoSuchElementException when the conversation does not exist in the tenant
     */
    Optional<Conversation> unassign(TenantId tenant, ConversationId id, RoutingSettings settings) {
        return assigner.store().inTransaction(tx -> {
            Conversation c = tx.conversation(tenant, id).orElseThrow(() -> noConversation(tenant, id));
            if (c.status() == ConversationStatus.RESOLVED) {
                return Optional.<Conversation>empty();
            }
            Optional<Assignment> held = tx.assignment(tenant, id);
            if (held.isPresent()) {
                assigner.requeue(tx, held.get(), false, "unassigned", settings);
                return tx.conversation(tenant, id);
            }
            Instant now = assigner.now();
            Conversation waiting = c.assignee().isPresent() ? c.withoutAssignee(now) : c;
            tx.saveConversation(waiting);
            String queue = null;
            if (waiting.status() == ConversationStatus.OPEN) {
                QueuedConversation entry = tx.queued(tenant, id).orElseGet(() ->
                        assigner.entryFor(tx, waiting, settings, waiting.lastInboundAt().orElse(now)));
                tx.queueConversation(entry);
                queue = entry.queue();
            }
            tx.appendEvent(Assigner.event(tenant, InboxEvent.Type.CONVERSATION_UPDATED, waiting, now,
                    InboxEvent.Attribute.ASSIGNEE, "", InboxEvent.Attribute.SOURCE, "routing",
                    InboxEvent.Attribute.REASON, "unassigned", InboxEvent.Attribute.QUEUE, queue));
            return Optional.of(waiting);
        });
    }

    private static NoSuchElementException noConversation(TenantId tenant, ConversationId id) {
        return new NoSuchElementException("no conversation " + id + " in tenant " + tenant);
    }
}
