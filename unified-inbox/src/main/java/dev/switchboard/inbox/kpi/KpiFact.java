package dev.switchboard.inbox.kpi;

import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the KPIs know about one cycle of a conversation: from its opening (or reopening) to its resolution. The KPI
 * projector derives it from the durable event feed and a store keeps it (table {@code sb_kpi_fact}); summaries are
 * aggregations over these rows. Part of the store SPI: hosts read KPIs through {@link Kpis}. Durations are whole
 * milliseconds; empty when the cycle has not reached the stop event. Immutable.
 *
 * @param tenant the tenant
 * @param conversation the conversation
 * @param cycle 1 for the conversation's first cycle, 2 after its first reopening, ...
 * @param customer the customer as the cycle opened
 * @param channel the channel the customer first wrote on in the cycle ({@code ""} when unknown)
 * @param channelType that channel's type ({@code ""} when unknown)
 * @param agent the agent handling the cycle ({@code ""} when none): its last assignee, else its first responder
 * @param team the routing queue the cycle last joined ({@code ""} when none)
 * @param priority the conversation's priority as last seen in the cycle
 * @param outcome how the cycle ended so far
 * @param openedAt when the cycle opened (conversation opened or reopened)
 * @param openedDay the opening's day in the tenant's zone, {@code yyyy-MM-dd}
 * @param openedWeek the Monday of that day's week, {@code yyyy-MM-dd}
 * @param openedMonth the first day of that day's month, {@code yyyy-MM-dd}
 * @param firstCustomerAt the customer's first message of the cycle that no machine wrote
 * @param awaitingSince the first customer message still waiting for a next response (projector state)
 * @param firstResponseAt the first reply of a person in the cycle after {@code firstCustomerAt}
 * @param firstResponseMs first response time in calendar time
 * @param firstResponseBusinessMs first response time in business time
 * @param resolvedAt when the cycle was resolved or folded
 * @param resolutionMs resolution time (opened to resolved) in calendar time, only when {@link KpiOutcome#RESOLVED}
 * @param resolutionBusinessMs the same in business time
 * @param messagesIn customer messages stored in the cycle (automated ones included)
 * @param messagesOut replies queued in the cycle (automated ones included)
 * @param nextResponses how many next responses the cycle had (each one a {@link KpiWait})
 * @param nextResponseMs their summed calendar time
 * @param nextResponseBusinessMs their summed business time
 * @param rating the latest satisfaction rating (1..5) given for the cycle
 * @param surveyed whether a satisfaction survey was sent for the cycle
 * @param complaint whether the cycle is marked as a complaint
 * @param firstResponseBreached whether a first-response SLA deadline of the cycle was breached
 * @param resolutionBreached whether a resolution SLA deadline of the cycle was breached
 * @param nextResponseBreaches how many next-response SLA deadlines of the cycle were breached
 * @param slaPolicy the SLA policy named by the cycle's last SLA event ({@code ""} when none)
 * @param firstResponseSla whether a first-response SLA clock started in the cycle ({@code SLA_STARTED})
 * @param resolutionSla whether a resolution SLA clock started in the cycle
 */
public record KpiFact(TenantId tenant, ConversationId conversation, int cycle, String customer, String channel,
                      String channelType, String agent, String team, Priority priority, KpiOutcome outcome,
                      Instant openedAt, String openedDay, String openedWeek, String openedMonth,
                      Optional<Instant> firstCustomerAt, Optional<Instant> awaitingSince,
                      Optional<Instant> firstResponseAt, Optional<Long> firstResponseMs,
                      Optional<Long> firstResponseBusinessMs, Optional<Instant> resolvedAt,
                      Optional<Long> resolutionMs, Optional<Long> resolutionBusinessMs, int messagesIn,
                      int messagesOut, int nextResponses, long nextResponseMs, long nextResponseBusinessMs,
                      Optional<Integer> rating, boolean surveyed, boolean complaint, boolean firstResponseBreached,
                      boolean resolutionBreached, int nextResponseBreaches, String slaPolicy,
                      boolean firstResponseSla, boolean resolutionSla) {

    /** Checks that no component is null and that the cycle number is positive. */
    public KpiFact {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(conversation, "conversation");
        if (cycle < 1) {
            throw new IllegalArgumentException("cycle must be >= 1, was " + cycle);
        }
        for (Object o : new Object[] {customer, channel, channelType, agent, team, priority, outcome, openedAt,
                openedDay, openedWeek, openedMonth, firstCustomerAt, awaitingSince, firstResponseAt, firstResponseMs,
                firstResponseBusinessMs, resolvedAt, resolutionMs, resolutionBusinessMs, rating, slaPolicy}) {
            Objects.requireNonNull(o, "a KPI fact component of " + conversation);
        }
    }

    /** The group and period keys waits copy (see {@link KpiWait#of}): equal when the cycle's waits need no relabel. */
    String waitKeys() {
        return String.join("\u0000", channel, channelType, agent, team, priority.name(), slaPolicy, openedDay,
                openedWeek, openedMonth);
    }

    /** The key of the cycle within its tenant: conversation id and cycle number, e.g. {@code c-1#2}. */
    public String key() {
        return conversation.value() + "#" + cycle;
    }
}
