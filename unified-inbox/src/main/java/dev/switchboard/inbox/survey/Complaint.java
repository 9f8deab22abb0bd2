package dev.switchboard.inbox.survey;

import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A conversation's complaint mark as stored: whether it is marked now, the agent it is attributed to (who handled the
 * conversation when it was marked), what marked or cleared it last, and when. One row per conversation, so a mark is
 * seen by every node. Immutable.
 *
 * @param marked true while the conversation counts as a complaint
 * @param agent the agent handling the conversation when it was marked (its assignee, else the last agent who
 *     replied); empty when none had
 * @param source what set the current state
 * @param at when the current state was set
 */
public record Complaint(TenantId tenant, ConversationId conversation, boolean marked, Optional<String> agent,
                        ComplaintSource source, Instant at) {
    /** Checks that nothing is null. */
    public Complaint {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
    }
}
