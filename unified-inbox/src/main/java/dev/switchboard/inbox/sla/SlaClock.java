package dev.switchboard.inbox.sla;

import dev.switchboard.inbox.calendar.BusinessCalendar;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The arithmetic of one policy's clock: due and warning times from a start in business or calendar time, moving them
 * on by a pause, and which messages start or stop the response clocks. Pure functions.
 */
final class SlaClock {
    private static final Comparator<Message> BY_STORED = Comparator.comparing(Message::storedAt);

    private SlaClock() {}

    static Instant add(SlaPolicy policy, BusinessCalendar calendar, Instant from, Duration amount) {
        return policy.businessTime() ? calendar.addBusinessTime(from, amount) : from.plus(amount);
    }

    /** The time that counts between two instants: business time when the policy counts in it. */
    static Duration elapsed(SlaPolicy policy, BusinessCalendar calendar, Instant from, Instant to) {
        return policy.businessTime() ? calendar.businessDuration(from, to) : Duration.between(from, to);
    }

    static Optional<Instant> warnAt(SlaPolicy policy, BusinessCalendar calendar, Instant start, Duration target) {
        if (policy.warnAt() >= 1) {
            return Optional.empty();
        }
        return Optional.of(add(policy, calendar, start,
                Duration.ofMillis(Math.round(target.toMillis() * policy.warnAt()))));
    }

    /** A customer's message (automated mail is quarantined, never stored as one). */
    static boolean fromCustomer(Message m) {
        return m.direction() == Direction.INBOUND;
    }

    /** A person's reply, in a history the caller cleared of automatic messages. */
    static boolean fromAgent(Message m) {
        return m.direction() == Direction.OUTBOUND;
    }

    // by the time each message was stored, not by the history's order: a store may list a message that committed
    // late (two ingests of one customer at once) after later ones

    static Optional<Message> firstCustomerMessage(List<Message> history) {
        return history.stream().filter(SlaClock::fromCustomer).min(BY_STORED);
    }

    static Optional<Message> firstAgentReplyAfter(List<Message> history, Instant after) {
        return history.stream().filter(m -> fromAgent(m) && !m.storedAt().isBefore(after)).min(BY_STORED);
    }

    /** Whether no person replied at or after {@code from} and before {@code to}. */
    static boolean noReplyBetween(List<Message> history, Instant from, Instant to) {
        return history.stream().noneMatch(m -> fromAgent(m) && !m.storedAt().isBefore(from)
                && m.storedAt().isBefore(to));
    }

    static Optional<Instant> lastAgentReply(List<Message> history) {
        return history.stream().filter(SlaClock::fromAgent).map(Message::storedAt).max(Comparator.naturalOrder());
    }

    /** The first customer message after the last agent reply: since then the customer waits. */
    static Optional<Message> waitingSince(List<Message> history) {
        Optional<Message> lastAgent = history.stream().filter(SlaClock::fromAgent).max(BY_STORED);
        if (lastAgent.isEmpty()) {
            return Optional.empty();
        }
        Instant after = lastAgent.get().storedAt();
        return history.stream().filter(m -> fromCustomer(m) && m.storedAt().isAfter(after)).min(BY_STORED);
    }
}
