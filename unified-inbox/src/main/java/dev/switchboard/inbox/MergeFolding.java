package dev.switchboard.inbox;

import dev.switchboard.identity.MergeRecord;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a merge of two customers does to their conversations: the threading policy allows one open conversation per
 * customer (or per customer and channel), and a merge can leave the one person with two. The one with the newest
 * activity stays; each other one is resolved with the tag {@value #TAG} and a {@code CONVERSATION_RESOLVED} event
 * naming the conversation it was folded into, and its agent carries over when the kept one has none (with routing,
counted against that agent's capacity or else queued, when routing follows the event). The {@link FoldListener}
hears of each fold in the merge's transaction (the SLA carries the folded conversation's wait). Nothing moves:
 * every message stays in its conversation and the customer's timeline shows them all. Undoing the merge does not reopen
 * the folded conversation; the customer's next message does, within the reopen window. Internal.
 */
final class MergeFolding {
    static final String TAG = "merged";

    /** Told, inside the merge's transaction, of each conversation folded into the one kept. */
    interface FoldListener {
        void folded(InboxTransaction tx, TenantId tenant, ConversationId folded, ConversationId kept, Instant now);
    }

    private final TenantIdentities identities;
    private final ThreadingPolicy policy;
    /** Set once by the inbox before it starts (the SLA carries the folded conversation's wait). */
    volatile FoldListener listener = (tx, tenant, folded, kept, now) -> { };

    MergeFolding(TenantIdentities identities, ThreadingPolicy policy) {
        this.identities = identities;
        this.policy = policy;
    }

    /** Appends the merge's event and folds the survivor's open conversations. */
    void merged(InboxTransaction tx, MergeRecord merge, Instant now) {
        tx.appendEvent(Events.of(merge.tenant(), InboxEvent.Type.CUSTOMERS_MERGED, null, null, merge.survivor(), now,
                "absorbed", merge.absorbed().value(), "merge", merge.id().toString(), "actor", merge.actor(),
                "reason", merge.reason()));
        fold(tx, merge.tenant(), identities.of(merge.tenant()).canonical(tx, merge.tenant(), merge.survivor()), now);
    }

    private void fold(InboxTransaction tx, TenantId tenant, CustomerId survivor, Instant now) {
        Set<CustomerId> ids = identities.of(tenant).identities(tx, tenant, survivor);
        Map<Object, List<Conversation>> open = new LinkedHashMap<>();
        for (Conversation c : tx.conversationsOf(tenant, ids)) { // newest activity first
            if (c.status() != ConversationStatus.RESOLVED) {
                Object key = policy == ThreadingPolicy.PER_CUSTOMER_AND_CHANNEL ? c.channel() : "all";
                open.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(c);
            }
        }
        for (List<Conversation> group : open.values()) {
            Conversation kept = group.get(0);
            for (Conversation other : group.subList(1, group.size())) {
                Set<String> tags = new HashSet<>(other.tags());
                tags.add(TAG);
                Conversation folded = other.withTags(tags, now).withStatus(ConversationStatus.RESOLVED, now);
                tx.saveConversation(folded);
                tx.appendEvent(Events.of(tenant, InboxEvent.Type.CONVERSATION_RESOLVED, folded.id(), null, survivor,
                        now, "status", ConversationStatus.RESOLVED.name(), "reason", "merged", "into", kept.id().value()));
                listener.folded(tx, tenant, folded.id(), kept.id(), now);
                if (kept.assignee().isEmpty() && other.assignee().isPresent()) {
                    kept = kept.withAssignee(other.assignee().get(), now);
                    tx.saveConversation(kept);
                    tx.appendEvent(Events.of(tenant, InboxEvent.Type.CONVERSATION_UPDATED, kept.id(), null, survivor,
                            now, "assignee", kept.assignee().get(), "reason", "merged"));
                }
            }
        }
    }
}
