package dev.switchboard.inbox.survey;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One satisfaction survey sent when a conversation was resolved, as stored: who it went to and on which channel, the
 * agent the resolution is attributed to, until when a rating is accepted, and the answer once given (a rating 1-5, the
 * instant it came, an optional comment). Every node reads the same row, so an answer arriving at any node finds it.
 * Immutable.
 *
 * @param id the survey's id, also the middle of its buttons' payloads ({@code survey:<id>:<rating>})
 * @param agent the agent who resolved the conversation (its assignee then, else the last agent who replied); empty
 *     when no agent handled it
 * @param message the outbound survey message
 * @param answerUntil the last instant a rating is accepted
 * @param rating the customer's rating, 1-5, once given
 * @param ratedAt when the rating was stored
 * @param comment what the customer wrote after (or with) the rating, within the comment window
 */
public record Survey(TenantId tenant, String id, ConversationId conversation, CustomerId customer, ChannelId channel,
                     Optional<String> agent, MessageId message, Instant sentAt, Instant answerUntil,
                     Optional<Integer> rating, Optional<Instant> ratedAt, Optional<String> comment) {
    /** Checks that nothing is null and that a rating is within 1-5. */
    public Survey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(answerUntil, "answerUntil");
        Objects.requireNonNull(rating, "rating");
        Objects.requireNonNull(ratedAt, "ratedAt");
        Objects.requireNonNull(comment, "comment");
        if (rating.isPresent() && (rating.get() < 1 || rating.get() > 5)) {
            throw new IllegalArgumentException("survey " + id + " rating must be 1-5, got " + rating.get());
        }
    }

    /** A survey just sent, not answered yet. */
    public static Survey sent(TenantId tenant, String id, ConversationId conversation, CustomerId customer,
                              ChannelId channel, Optional<String> agent, MessageId message, Instant sentAt,
                              Instant answerUntil) {
        return new Survey(tenant, id, conversation, customer, channel, agent, message, sentAt, answerUntil,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** This survey rated {@code rating} at {@code at}. */
    public Survey withRating(int rating, Instant at) {
        return new Survey(tenant, id, conversation, customer, channel, agent, message, sentAt, answerUntil,
                Optional.of(rating), Optional.of(at), comment);
    }

    /** This survey with the customer's comment. */
    public Survey withComment(String text) {
        return new Survey(tenant, id, conversation, customer, channel, agent, message, sentAt, answerUntil, rating,
                ratedAt, Optional.of(text));
    }

    /** Whether a rating was given. */
    public boolean rated() {
        return rating.isPresent();
    }

    /** The payload of the button (and numbered choice) that rates this survey {@code rating}. */
    public String payload(int rating) {
        return SurveyPolicy.PAYLOAD_PREFIX + id + ":" + rating;
    }
}
