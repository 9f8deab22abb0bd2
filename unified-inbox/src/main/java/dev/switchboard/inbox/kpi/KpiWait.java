package dev.switchboard.inbox.kpi;

import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * One next-response wait of a conversation cycle: a customer's message after a person's reply (the first of a run)
 * until the next person's reply. The KPI projector stores each wait (table {@code sb_kpi_wait}) with the group and
 * period keys of its cycle, so the median and p90 of next-response times are SQL aggregates like the other durations.
 * Part of the store SPI: hosts read KPIs through {@link Kpis}. Immutable.
 *
 * @param tenant the tenant
 * @param conversation the conversation
 * @param cycle the cycle the wait is in
 * @param number 1 for the cycle's first next-response wait, 2 for the second, ...
 * @param waitingSince the customer's message that started the wait
 * @param answeredAt the person's reply that ended it
 * @param ms the wait in calendar time
 * @param businessMs the wait in business time
 * @param channel the cycle's channel ({@code ""} when unknown)
 * @param channelType the cycle's channel type ({@code ""} when unknown)
 * @param agent the cycle's agent ({@code ""} when none)
 * @param team the cycle's team ({@code ""} when none)
 * @param priority the cycle's priority
 * @param slaPolicy the cycle's SLA policy ({@code ""} when none)
 * @param openedDay the cycle's opening day in the tenant's zone, {@code yyyy-MM-dd}
 * @param openedWeek the Monday of that day's week
 * @param openedMonth the first day of that day's month
 */
public record KpiWait(TenantId tenant, ConversationId conversation, int cycle, int number, Instant waitingSince,
                      Instant answeredAt, long ms, long businessMs, String channel, String channelType, String agent,
                      String team, Priority priority, String slaPolicy, String openedDay, String openedWeek,
                      String openedMonth) {

    /** Checks that no component is null and that the cycle and number are positive. */
    public KpiWait {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(conversation, "conversation");
        if (cycle < 1 || number < 1) {
            throw new IllegalArgumentException("cycle and number must be >= 1, were " + cycle + ", " + number);
        }
        for (Object o : new Object[] {waitingSince, answeredAt, channel, channelType, agent, team, priority,
                slaPolicy, openedDay, openedWeek, openedMonth}) {
            Objects.requireNonNull(o, "a KPI wait component of " + conversation);
        }
    }

    /** A wait of {@code fact}'s cycle, with the fact's group and period keys. */
    public static KpiWait of(KpiFact fact, int number, Instant waitingSince, Instant answeredAt, long ms,
                             long businessMs) {
        return new KpiWait(fact.tenant(), fact.conversation(), fact.cycle(), number, waitingSince, answeredAt, ms,
                businessMs, fact.channel(), fact.channelType(), fact.agent(), fact.team(), fact.priority(),
                fact.slaPolicy(), fact.openedDay(), fact.openedWeek(), fact.openedMonth());
    }

    /** This wait with {@code fact}'s group and period keys (the fact of the same cycle). */
    public KpiWait relabeled(KpiFact fact) {
        return of(fact, number, waitingSince, answeredAt, ms, businessMs);
    }
}
