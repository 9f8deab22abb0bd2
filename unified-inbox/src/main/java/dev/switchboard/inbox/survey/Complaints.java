package dev.switchboard.inbox.survey;

import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's complaint marks, from {@code TenantInbox.complaints()}: an agent marks or clears a conversation as a
 * complaint, and {@link ComplaintRules} mark it by themselves (a label added, a low survey rating). A mark is
 * attributed to the agent handling the conversation when it is marked (its assignee, else the last agent who
 * replied), not to whoever clicked, and published as {@code COMPLAINT_MARKED}/{@code COMPLAINT_CLEARED}. Cheap to
 * create; thread-safe.
 *
 * <pre>{@code
 * shop.complaints().configure(ComplaintRules.builder().labels("complaint").ratingAtOrBelow(2).build());
 * shop.complaints().mark(conversation, "lead-olga");
 * }</pre>
 */
public final class Complaints {
    private final SatisfactionService service;
    private final TenantId tenant;

    Complaints(SatisfactionService service, TenantId tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    /** Replaces the tenant's complaint rules (held by this node); applies to changes from now on. */
    public void configure(ComplaintRules rules) {
        service.configure(tenant, rules);
    }

    /** The tenant's complaint rules ({@link ComplaintRules#none()} until configured). */
    public ComplaintRules rules() {
        return service.rules(tenant);
    }

    /**
     * Marks the conversation as a complaint on an agent's word ({@code source} {@code agent}); {@code actor} (who
     * clicked) goes into the event's {@code actor}. Marking a marked conversation changes nothing.
     *
     * @return the stored mark
     * @throws NoSuchElementException when the tenant has no such conversation
     */
    public Complaint mark(ConversationId conversation, String actor) {
        return set(conversation, true, actor);
    }

    /**
     * Clears the conversation's complaint mark on an agent's word; clearing an unmarked conversation changes nothing.
     *
     * @return the stored state
     * @throws NoSuchElementException when the tenant has no such conversation
     */
    public Complaint clear(ConversationId conversation, String actor) {
        return set(conversation, false, actor);
    }

    /** The conversation's complaint mark, empty when it was never marked. */
    public Optional<Complaint> of(ConversationId conversation) {
        Objects.requireNonNull(conversation, "conversation");
        return service.store().inTransaction(tx -> tx.complaint(tenant, conversation));
    }

    private Complaint set(ConversationId id, boolean marked, String actor) {
        Objects.requireNonNull(id, "conversation");
        Objects.requireNonNull(actor, "actor");
        Complaint result = service.store().inTransaction(tx -> {
            Conversation c = tx.conversation(tenant, id).orElseThrow(() ->
                    new NoSuchElementException("no conversation " + id + " in tenant " + tenant));
            return service.setComplaint(tx, c, marked, ComplaintSource.AGENT, Optional.empty(), Optional.of(actor),
                    service.now());
        });
        service.woke();
        return result;
    }
}
