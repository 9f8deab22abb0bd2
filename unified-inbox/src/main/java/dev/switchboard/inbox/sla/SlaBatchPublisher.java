package dev.switchboard.inbox.sla;

import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Publishes one batch of due deadlines inside the caller's transaction: one batched conditional update of all their
 * rows ({@link InboxTransaction#transitionSla(List)}), one read of the conversations of those it won per tenant, then
 * the warning or breach events (which the store writes at commit, in one batch insert) and the escalations that change
 * the conversation. A deadline another node moved first is skipped: its event is that node's. The callbacks are the
 * caller's to run after the commit.
 */
final class SlaBatchPublisher {
    private final Clock clock;
    private final Function<TenantId, List<SlaPolicy>> policies;

    SlaBatchPublisher(Clock clock, Function<TenantId, List<SlaPolicy>> policies) {
        this.clock = clock;
        this.policies = policies;
    }

    /** A published warning or breach and the policy's actions for it (the callbacks among them run after commit). */
    record Fired(SlaDeadline deadline, List<SlaAction> actions) {
    }

    /** Publishes what of {@code due} this transaction wins at {@code now}; returns them in the order of {@code due}. */
    List<Fired> publish(InboxTransaction tx, List<SlaDeadline> found, Instant now) {
        // only what is due by this timer's own reading of the row: a store that compares at a coarser precision may
        // return a deadline a fraction of its unit early, and a warned deadline not yet due would be warned again
        List<SlaDeadline> due = found.stream().filter(d -> d.nextFire().filter(f -> !f.isAfter(now)).isPresent())
                .toList();
        if (due.isEmpty()) {
            return List.of();
        }
        List<SlaTransition> transitions = new ArrayList<>(due.size());
        for (SlaDeadline d : due) {
            transitions.add(new SlaTransition(d, next(d, now)));
        }
        List<Boolean> changed = tx.transitionSla(transitions);
        if (changed.size() != due.size()) {
            throw new IllegalStateException("the store answered " + changed.size() + " SLA transitions for "
                    + due.size());
        }
        List<SlaDeadline> won = new ArrayList<>();
        Map<TenantId, Set<ConversationId>> toRead = new LinkedHashMap<>();
        for (int i = 0; i < due.size(); i++) {
            if (changed.get(i)) {
                SlaDeadline d = due.get(i);
                won.add(d);
                toRead.computeIfAbsent(d.tenant(), t -> new LinkedHashSet<>()).add(d.conversation());
            }
        }
        Map<TenantId, Map<ConversationId, Conversation>> conversations = new LinkedHashMap<>();
        toRead.forEach((tenant, ids) -> conversations.put(tenant,
                new LinkedHashMap<>(tx.conversationsById(tenant, ids))));
        List<Fired> fired = new ArrayList<>(won.size());
        for (SlaDeadline d : won) {
            fired.add(fire(tx, d, conversations.get(d.tenant()), now));
        }
        return fired;
    }

    /** What the row becomes: breached once due, else warned (a warning reached after the due time is skipped). */
    private static SlaDeadline next(SlaDeadline d, Instant now) {
        return !d.dueAt().isAfter(now) ? d.withState(SlaState.BREACHED)
                : new SlaDeadline(d.tenant(), d.conversation(), d.kind(), d.policy(), SlaState.WARNED, d.startedAt(),
                        d.dueAt(), Optional.empty(), d.pausedAt());
    }

    private Fired fire(InboxTransaction tx, SlaDeadline d, Map<ConversationId, Conversation> conversations,
                       Instant now) {
        boolean breach = !d.dueAt().isAfter(now);
        Optional<Conversation> c = Optional.ofNullable(conversations.get(d.conversation()));
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put(InboxEvent.Attribute.SLA_KIND, d.kind().name());
        attrs.put(InboxEvent.Attribute.SLA_POLICY, d.policy());
        attrs.put(InboxEvent.Attribute.DUE_AT, d.dueAt().toString());
        // stamped when published, not when this run of the timer started: a long backlog would hide its lateness
        Instant publishedAt = clock.instant();
        tx.appendEvent(new InboxEvent(0, d.tenant(), breach ? InboxEvent.Type.SLA_BREACHED
                : InboxEvent.Type.SLA_WARNING, Optional.of(d.conversation()), Optional.empty(),
                c.map(Conversation::customer), attrs, publishedAt.isBefore(now) ? now : publishedAt));
        List<SlaAction> actions = policies.apply(d.tenant()).stream().filter(p -> p.name().equals(d.policy()))
                .findFirst().map(p -> breach ? p.onBreach() : p.onWarning()).orElse(List.of());
        if (c.isPresent()) {
            // two deadlines of one conversation in a batch: the second escalates what the first saved
            conversations.put(d.conversation(), escalate(tx, c.get(), actions, now));
        }
        return new Fired(d, actions);
    }

    /** The escalations that change the conversation, in the transaction that published the event. */
    private static Conversation escalate(InboxTransaction tx, Conversation c, List<SlaAction> actions, Instant now) {
        Conversation u = c;
        for (SlaAction a : actions) {
            if (a instanceof SlaAction.RaisePriority && u.priority() != Priority.URGENT) {
                u = u.withPriority(Priority.values()[u.priority().ordinal() + 1], now);
                tx.appendEvent(new InboxEvent(0, c.tenant(), InboxEvent.Type.CONVERSATION_UPDATED, Optional.of(c.id()),
                        Optional.empty(), Optional.of(c.customer()), Map.of(InboxEvent.Attribute.PRIORITY,
                        u.priority().name(), InboxEvent.Attribute.SOURCE, "sla"), now));
            } else if (a instanceof SlaAction.Tag t && !u.tags().contains(t.tag())) {
                Set<String> tags = new HashSet<>(u.tags());
                tags.add(t.tag());
                u = u.withTags(tags, now);
                tx.appendEvent(new InboxEvent(0, c.tenant(), InboxEvent.Type.CONVERSATION_UPDATED, Optional.of(c.id()),
                        Optional.empty(), Optional.of(c.customer()), Map.of(InboxEvent.Attribute.TAGS, t.tag(),
                        InboxEvent.Attribute.SOURCE, "sla"), now));
            }
        }
        if (u != c) {
            tx.saveConversation(u);
        }
        return u;
    }
}
