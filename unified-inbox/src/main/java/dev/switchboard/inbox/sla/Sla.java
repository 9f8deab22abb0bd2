package dev.switchboard.inbox.sla;

import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One tenant's service-level agreements, from {@code TenantInbox.sla()}: its {@link SlaPolicy} list, and the stored
 * deadlines of its conversations. Once {@link #configure} set policies, a customer's message starts the first- or
 * next-response clock of the conversation (if none runs) and the resolution clock, a person's reply meets the
 * response deadline, the resolution meets the resolution deadline, a status or tag meaning "waiting for the customer"
 * pauses them, and a priority, tag or channel change re-evaluates the policy. Deadlines are stored, so a restart or
 * another node carries on; the timer of every node publishes {@code SLA_WARNING} and {@code SLA_BREACHED} in the
 * durable feed once per deadline. The clock follows the customer: it is kept per conversation, and when a merge folds
 * two customers' conversations into one, the kept one's clocks count from the earlier unanswered message of the two
 * and the folded one's end as {@link SlaState#MERGED}. Thread-safe; cheap to create.
 *
 * <pre>{@code
 * Sla sla = desk.sla();
 * sla.configure(List.of(SlaPolicy.builder("standard").firstResponse(Duration.ofMinutes(15)).build()));
 * sla.atRisk(50).forEach(d -> System.out.println(d.conversation() + " due " + d.dueAt()));
 * }</pre>
 */
public final class Sla {
    private final SlaService service;
    private final TenantId tenant;

    Sla(SlaService service, TenantId tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    /**
     * Sets the tenant's policies, first match wins, and turns SLA tracking on for it (this node's listener and timer
     * start on first use). Configure every node alike.
     *
     * @throws IllegalArgumentException naming the policy when two share a name, or one can never match because an
     *     earlier policy matches every conversation it would
     */
    public void configure(List<SlaPolicy> policies) {
        Objects.requireNonNull(policies, "policies");
        Set<String> names = new HashSet<>();
        List<SlaPolicy> earlier = new java.util.ArrayList<>();
        for (SlaPolicy p : policies) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("SLA policy " + p.name() + " is configured twice");
            }
            for (SlaPolicy before : earlier) {
                if (before.covers(p)) {
                    throw new IllegalArgumentException("SLA policy " + p.name() + " matches nothing: policy "
                            + before.name() + " before it matches every conversation " + p.name() + " would");
                }
            }
            earlier.add(p);
        }
        service.configure(tenant, policies);
    }

    /** The tenant's policies in the order they are tried; empty until {@link #configure}. */
    public List<SlaPolicy> policies() {
        return service.policies(tenant);
    }

    /** The conversation's stored deadlines, one per kind at most. */
    public List<SlaDeadline> deadlines(ConversationId conversation) {
        Objects.requireNonNull(conversation, "conversation");
        return service.store().inTransaction(tx -> tx.slaDeadlines(tenant, conversation));
    }

    /**
     * The stored deadlines of several conversations at once, read in one store transaction (a console's list or
     * queue): every requested conversation is a key, in the order given (a repeated one once), mapped to its
     * deadlines in this tenant (an empty list when it has none, as has a conversation of another tenant).
     *
     * @throws IllegalArgumentException when more than 1,000 conversations are asked for
     */
    public Map<ConversationId, List<SlaDeadline>> deadlines(Collection<ConversationId> conversations) {
        Objects.requireNonNull(conversations, "conversations");
        if (conversations.size() > 1000) {
            throw new IllegalArgumentException("at most 1000 conversations at once, got " + conversations.size());
        }
        List<ConversationId> ids = List.copyOf(conversations);
        if (ids.isEmpty()) {
            return Map.of();
        }
        return service.store().inTransaction(tx -> {
            Map<ConversationId, List<SlaDeadline>> out = new LinkedHashMap<>();
            for (ConversationId id : ids) {
                out.computeIfAbsent(id, c -> tx.slaDeadlines(tenant, c));
            }
            return java.util.Collections.unmodifiableMap(out);
        });
    }

    /** Running deadlines whose warning fired (at risk), earliest due first. */
    public List<SlaDeadline> atRisk(int limit) {
        return in(EnumSet.of(SlaState.WARNED), limit);
    }

    /** Running deadlines due within {@code horizon} of now or warned, earliest due first: a console's countdowns. */
    public List<SlaDeadline> dueBefore(Instant horizon, int limit) {
        List<SlaDeadline> out = new ArrayList<>();
        for (SlaDeadline d : in(EnumSet.of(SlaState.RUNNING, SlaState.WARNED), limit)) {
            if (d.dueAt().isAfter(horizon)) {
                break;
            }
            out.add(d);
        }
        return out;
    }

    /** Breached deadlines not met since, earliest due first. */
    public List<SlaDeadline> breached(int limit) {
        return in(EnumSet.of(SlaState.BREACHED), limit);
    }

    private List<SlaDeadline> in(Set<SlaState> states, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return service.store().inTransaction(tx -> tx.slaDeadlinesIn(tenant, states, limit));
    }

    /**
     * Brings the conversation's deadlines up to date now. The inbox does this by itself on every feed event that
     * matters, a moment after it; call it to see the result at once (tests, a console after an action).
     */
    public List<SlaDeadline> evaluate(ConversationId conversation) {
        service.evaluate(tenant, Objects.requireNonNull(conversation, "conversation"));
        return deadlines(conversation);
    }

    /**
     * Publishes every warning and breach due by now (of every tenant; what the timer does when it wakes) and returns
     * how many this call published. When it returns, everything due by now has been published, by this node or
     * another. For tests with a controlled clock and for hosts that drive time themselves.
     */
    public int runDue() {
        return service.runDue(service.clock().instant());
    }

    @Override
    public String toString() {
        return "Sla[" + tenant + "]";
    }
}
