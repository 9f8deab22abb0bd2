package dev.switchboard.inbox.routing;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the agent for a waiting conversation among the candidates routing found for it (online, serving its queue,
 * with the skills it requires and room for it). The built-in policies are routers ({@link #manual()},
 * {@link #roundRobin()}, {@link #leastBusy()}, {@link #skillsMatch()}); a host replaces them with its own, as
 * Rocket.Chat's external routing does. Whatever a router chooses, the store still checks the agent's capacity
 * atomically, so a router cannot over-assign. Implementations must be thread-safe and quick (they run inside the
 * assignment transaction); they must not call the inbox.
 */
@FunctionalInterface
public interface Router {

    /**
     * The agent to assign {@code conversation} to, or empty to leave it waiting.
     *
     * @param candidates never empty, in no particular order
     */
    Optional<String> choose(QueuedConversation conversation, List<Candidate> candidates);

    /**
     * Whether routing assigns conversations by itself. False only for {@link #manual()}: agents then take
     * conversations from the queue ({@code Routing.take}).
     */
    default boolean assignsAutomatically() {
        return true;
    }

    /** Agents take conversations from the queue themselves; nothing is assigned automatically. */
    static Router manual() {
        return new Router() {
            @Override
            public Optional<String> choose(QueuedConversation conversation, List<Candidate> candidates) {
                return Optional.empty();
            }

            @Override
            public boolean assignsAutomatically() {
                return false;
            }

            @Override
            public String toString() {
                return "manual";
            }
        };
    }

    /** Each conversation to the candidate assigned longest ago (never assigned first), so online agents take turns. */
    static Router roundRobin() {
        return named("round-robin", (conversation, candidates) -> candidates.stream()
                .min(BY_LONGEST_IDLE).map(Candidate::id));
    }

    /** The candidate with the fewest open conversations; ties go to the one assigned longest ago. */
    static Router leastBusy() {
        return named("least-busy", (conversation, candidates) -> candidates.stream()
                .min(Comparator.comparingInt(Candidate::open).thenComparing(BY_LONGEST_IDLE)).map(Candidate::id));
    }

    /**
     * Skills and language first: candidates already have every required skill; among them the one speaking the
     * conversation's language best (earliest in their languages; speakers before non-speakers), then the least busy,
     * then the one assigned longest ago.
     */
    static Router skillsMatch() {
        return named("skills-match", (conversation, candidates) -> candidates.stream()
                .min(Comparator.<Candidate>comparingInt(c -> c.languageRank(conversation))
                        .thenComparingInt(Candidate::open).thenComparing(BY_LONGEST_IDLE))
                .map(Candidate::id));
    }

    /** Never assigned first, then assigned longest ago, then by id (one order on every node). */
    Comparator<Candidate> BY_LONGEST_IDLE = Comparator
            .<Candidate, Instant>comparing(c -> c.status().lastAssignedAt().orElse(Instant.MIN))
            .thenComparing(Candidate::id);

    private static Router named(String name, Router router) {
        return new Router() {
            @Override
            public Optional<String> choose(QueuedConversation conversation, List<Candidate> candidates) {
                return router.choose(conversation, candidates);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
