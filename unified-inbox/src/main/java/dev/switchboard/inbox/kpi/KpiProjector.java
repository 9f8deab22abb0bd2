package dev.switchboard.inbox.kpi;

import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.InboxEvent.Attribute;
import dev.switchboard.inbox.calendar.BusinessCalendar;
import dev.switchboard.inbox.calendar.CalendarRegistry;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Follows the durable event feed from the stored checkpoint and keeps one {@link KpiFact} per conversation cycle up
 * to date, a page of events per transaction that also moves the checkpoint: the facts are a pure function of the
 * feed (and the calendars), identical on every node and after a restart, and each event is projected exactly once
 * (the checkpoint row is locked while a page is projected, so nodes take turns). Internal.
 */
final class KpiProjector {
    static final int PAGE = 500;
    /** The routing queue every conversation waits in unless a team's queue is named: not a team. */
    static final String DEFAULT_QUEUE = "default";

    private final InboxStore store;
    private final Function<TenantId, CalendarRegistry> calendars;

    KpiProjector(InboxStore store, Function<TenantId, CalendarRegistry> calendars) {
        this.store = store;
        this.calendars = calendars;
    }

    /** Projects every event appended since the checkpoint; returns how many it projected. */
    long catchUp() {
        long total = 0;
        while (true) {
            int n = store.inTransaction(this::projectPage);
            total += n;
            if (n < PAGE) {
                return total;
            }
        }
    }

    /**
     * Recomputes, with the calendars in force now, the business durations (each next-response wait's too) and the
     * period keys of the tenant's cycles opened in [{@code from}, {@code to}); returns how many facts it rewrote.
     */
    long recompute(TenantId tenant, Instant from, Instant to) {
        catchUp();
        long total = 0;
        String afterConversation = "";
        int afterCycle = 0;
        while (true) {
            String ac = afterConversation;
            int acy = afterCycle;
            List<KpiFact> page = store.inTransaction(tx -> {
                tx.kpiCheckpoint(); // take turns with projectors
                List<KpiFact> facts = tx.kpiFactsOpened(tenant, from, to, ac, acy, PAGE);
                for (KpiFact f : facts) {
                    CycleDraft d = CycleDraft.of(f);
                    periods(d);
                    if (d.firstResponseAt != null && d.firstCustomerAt != null) {
                        d.firstResponseBusinessMs = business(d, d.firstCustomerAt, d.firstResponseAt);
                    }
                    if (d.outcome == KpiOutcome.RESOLVED && d.resolvedAt != null) {
                        d.resolutionBusinessMs = business(d, d.openedAt, d.resolvedAt);
                    }
                    List<KpiWait> waits = f.nextResponses() > 0 ? tx.kpiWaits(tenant, f.conversation(), f.cycle())
                            : List.of();
                    long[] waitBusinessMs = new long[waits.size()];
                    d.nextResponseBusinessMs = 0;
                    for (int i = 0; i < waits.size(); i++) {
                        waitBusinessMs[i] = business(d, waits.get(i).waitingSince(), waits.get(i).answeredAt());
                        d.nextResponseBusinessMs += waitBusinessMs[i];
                    }
                    KpiFact rewritten = d.toFact();
                    tx.saveKpiFact(rewritten);
                    for (int i = 0; i < waits.size(); i++) {
                        KpiWait w = waits.get(i);
                        tx.saveKpiWait(KpiWait.of(rewritten, w.number(), w.waitingSince(), w.answeredAt(), w.ms(),
                                waitBusinessMs[i]));
                    }
                }
                return facts;
            });
            total += page.size();
            if (page.size() < PAGE) {
                return total;
            }
            afterConversation = page.get(page.size() - 1).conversation().value();
            afterCycle = page.get(page.size() - 1).cycle();
        }
    }

    int projectPage(InboxTransaction tx) {
        long checkpoint = tx.kpiCheckpoint();
        List<InboxEvent> events = tx.events(Optional.empty(), checkpoint, PAGE);
        if (events.isEmpty()) {
            return 0;
        }
        Batch batch = new Batch(tx);
        for (InboxEvent e : events) {
            apply(batch, e);
        }
        batch.flush();
        tx.saveKpiCheckpoint(events.get(events.size() - 1).seq());
        return events.size();
    }

    private void apply(Batch batch, InboxEvent e) {
        if (e.conversation().isEmpty()) {
            return;
        }
        ConversationId conversation = e.conversation().get();
        switch (e.type()) {
            case CONVERSATION_OPENED -> {
                List<CycleDraft> cycles = batch.cycles(e.tenant(), conversation);
                if (cycles.isEmpty()) {
                    CycleDraft d = open(batch, e, conversation, 1);
                    d.channel = e.attribute(Attribute.CHANNEL).orElse("");
                }
            }
            case CONVERSATION_REOPENED -> reopen(batch, e, conversation);
            case MESSAGE_RECEIVED -> received(batch.current(e, this), e);
            case REPLY_QUEUED -> replied(batch.current(e, this), e);
            case CONVERSATION_UPDATED -> {
                // a resolved conversation an agent sets back to open (or pending, snoozed) starts a new cycle
                boolean unresolved = e.attribute(Attribute.STATUS).filter(st -> !"RESOLVED".equals(st)).isPresent();
                CycleDraft d = batch.current(e, this);
                updated(unresolved && d.outcome != KpiOutcome.OPEN ? reopen(batch, e, conversation) : d, e);
            }
            case CONVERSATION_RESOLVED -> {
                CycleDraft d = batch.current(e, this);
                boolean wasOpen = d.outcome == KpiOutcome.OPEN;
                resolved(d, e);
                if (wasOpen && d.outcome == KpiOutcome.FOLDED) {
                    folded(batch, d, e);
                }
            }
            case SATISFACTION_RATED -> {
                CycleDraft d = batch.rated(e, this);
                e.attribute(Attribute.RATING).flatMap(KpiProjector::rating).ifPresent(r -> d.rating = r);
                attribute(d, e);
            }
            case SURVEY_SENT -> {
                CycleDraft d = batch.rated(e, this);
                d.surveyed = true;
                attribute(d, e);
            }
            case COMPLAINT_MARKED, COMPLAINT_CLEARED -> {
                boolean byRating = e.attribute(Attribute.SOURCE).filter("rating"::equals).isPresent();
                CycleDraft d = byRating ? batch.rated(e, this) : batch.current(e, this);
                d.complaint = e.type() == InboxEvent.Type.COMPLAINT_MARKED;
                d.dirty = true;
                if (d.complaint) {
                    attribute(d, e);
                }
            }
            case SLA_BREACHED, SLA_WARNING, SLA_STARTED -> sla(batch.current(e, this), e);
            default -> {
            }
        }
    }

    /** A new cycle after the conversation's last one, with its channel, agent, team and priority. */
    private CycleDraft reopen(Batch batch, InboxEvent e, ConversationId conversation) {
        List<CycleDraft> cycles = batch.cycles(e.tenant(), conversation);
        CycleDraft previous = cycles.isEmpty() ? null : cycles.get(cycles.size() - 1);
        CycleDraft d = open(batch, e, conversation, cycles.size() + 1);
        if (previous != null) {
            d.customer = previous.customer.isEmpty() ? d.customer : previous.customer;
            d.channel = previous.channel;
            d.channelType = previous.channelType;
            d.agent = previous.agent;
            d.team = previous.team;
            d.priority = previous.priority;
        }
        return d;
    }

    CycleDraft open(Batch batch, InboxEvent e, ConversationId conversation, int cycle) {
        CycleDraft d = new CycleDraft(e.tenant(), conversation, cycle);
        d.customer = e.customer().map(c -> c.value()).orElse("");
        d.openedAt = e.at();
        periods(d);
        d.dirty = true;
        batch.cycles(e.tenant(), conversation).add(d);
        return d;
    }

    private static void received(CycleDraft d, InboxEvent e) {
        d.messagesIn++;
        d.dirty = true;
        boolean automated = e.attribute(Attribute.AUTOMATED).filter("true"::equals).isPresent();
        if (automated || d.outcome != KpiOutcome.OPEN) {
            return;
        }
        if (d.firstCustomerAt == null) {
            d.firstCustomerAt = e.at();
            e.attribute(Attribute.CHANNEL).ifPresent(c -> d.channel = c);
            e.attribute(Attribute.CHANNEL_TYPE).ifPresent(t -> d.channelType = t);
        } else if (d.firstResponseAt != null && d.awaitingSince == null) {
            d.awaitingSince = e.at();
        }
    }

    private void replied(CycleDraft d, InboxEvent e) {
        d.messagesOut++;
        d.dirty = true;
        boolean automated = e.attribute(Attribute.AUTOMATED).filter("true"::equals).isPresent();
        if (automated || d.outcome != KpiOutcome.OPEN) {
            return;
        }
        if (d.firstCustomerAt != null && d.firstResponseAt == null) {
            d.firstResponseAt = e.at();
            d.firstResponseMs = calendarMs(d.firstCustomerAt, e.at());
            d.firstResponseBusinessMs = business(d, d.firstCustomerAt, e.at());
            if (d.agent.isEmpty()) {
                e.attribute(Attribute.AGENT).ifPresent(a -> d.agent = a);
            }
        } else if (d.awaitingSince != null) {
            long ms = calendarMs(d.awaitingSince, e.at());
            long businessMs = business(d, d.awaitingSince, e.at());
            d.nextResponses++;
            d.nextResponseMs += ms;
            d.nextResponseBusinessMs += businessMs;
            d.newWaits.add(new CycleDraft.PendingWait(d.nextResponses, d.awaitingSince, e.at(), ms, businessMs));
            d.awaitingSince = null;
        }
    }

    private static void updated(CycleDraft d, InboxEvent e) {
        e.attribute(Attribute.ASSIGNEE).filter(a -> !a.isEmpty()).ifPresent(a -> d.agent = a);
        e.attribute(Attribute.QUEUE).ifPresent(q -> d.team = DEFAULT_QUEUE.equals(q) ? "" : q);
        e.attribute(Attribute.PRIORITY).flatMap(KpiProjector::priority).ifPresent(p -> d.priority = p);
        d.dirty = true;
    }

    private void resolved(CycleDraft d, InboxEvent e) {
        if (d.outcome != KpiOutcome.OPEN) {
            return;
        }
        d.resolvedAt = e.at();
        d.awaitingSince = null;
        d.dirty = true;
        if (e.attribute(Attribute.REASON).filter("merged"::equals).isPresent()) {
            d.outcome = KpiOutcome.FOLDED;
            return;
        }
        d.outcome = KpiOutcome.RESOLVED;
        d.resolutionMs = calendarMs(d.openedAt, e.at());
        d.resolutionBusinessMs = business(d, d.openedAt, e.at());
    }

    /**
     * A merge folded {@code d} into another conversation: a customer still waiting for a first response in the
     * folded cycle waits on in the kept one, so the kept cycle's first response counts from the earlier message.
     */
    private static void folded(Batch batch, CycleDraft d, InboxEvent e) {
        Optional<String> into = e.attribute(Attribute.INTO);
        if (into.isEmpty() || d.firstCustomerAt == null || d.firstResponseAt != null) {
            return;
        }
        List<CycleDraft> kept = batch.cycles(d.tenant, ConversationId.of(into.get()));
        if (kept.isEmpty()) {
            return;
        }
        CycleDraft k = kept.get(kept.size() - 1);
        if (k.outcome == KpiOutcome.OPEN && k.firstResponseAt == null
                && (k.firstCustomerAt == null || d.firstCustomerAt.isBefore(k.firstCustomerAt))) {
            k.firstCustomerAt = d.firstCustomerAt;
            k.dirty = true;
        }
    }

    private static void sla(CycleDraft d, InboxEvent e) {
        e.attribute(Attribute.SLA_POLICY).ifPresent(p -> d.slaPolicy = p);
        if (e.type() == InboxEvent.Type.SLA_STARTED) {
            switch (e.attribute(Attribute.SLA_KIND).orElse("")) {
                case "FIRST_RESPONSE" -> d.firstResponseSla = true;
                case "RESOLUTION" -> d.resolutionSla = true;
                default -> {
                }
            }
        } else if (e.type() == InboxEvent.Type.SLA_BREACHED) {
            switch (e.attribute(Attribute.SLA_KIND).orElse("")) {
                case "FIRST_RESPONSE" -> d.firstResponseBreached = true;
                case "RESOLUTION" -> d.resolutionBreached = true;
                case "NEXT_RESPONSE" -> d.nextResponseBreaches++;
                default -> {
                }
            }
        }
        d.dirty = true;
    }

    /** A rating or complaint names the agent; it counts for the cycle's agent, or for the named one when none. */
    private static void attribute(CycleDraft d, InboxEvent e) {
        if (d.agent.isEmpty()) {
            e.attribute(Attribute.AGENT).filter(a -> !a.isEmpty()).ifPresent(a -> d.agent = a);
        }
        d.dirty = true;
    }

    void periods(CycleDraft d) {
        ZoneId zone = calendars.apply(d.tenant).defaultCalendar().zone();
        LocalDate day = LocalDate.ofInstant(d.openedAt, zone);
        d.openedDay = day.toString();
        d.openedWeek = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString();
        d.openedMonth = day.withDayOfMonth(1).toString();
    }

    private long business(CycleDraft d, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return 0;
        }
        CalendarRegistry registry = calendars.apply(d.tenant);
        BusinessCalendar calendar = d.channel.isEmpty() && d.team.isEmpty() ? registry.defaultCalendar()
                : d.channel.isEmpty() ? registry.forTeam(d.team)
                : registry.forConversation(d.team.isEmpty() ? Optional.empty() : Optional.of(d.team),
                        ChannelId.of(d.channel));
        return calendar.businessDuration(from, to).toMillis();
    }

    private static long calendarMs(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }

    private static Optional<Integer> rating(String value) {
        try {
            int r = Integer.parseInt(value.trim());
            return r >= 1 && r <= 5 ? Optional.of(r) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Priority> priority(String value) {
        try {
            return Optional.of(Priority.valueOf(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Saves a changed cycle and its new waits; the waits stored before get the cycle's keys again when an agent,
     * team, priority, channel or SLA policy changed since (waits group exactly as their cycle).
     */
    static void save(InboxTransaction tx, CycleDraft d) {
        KpiFact fact = d.toFact();
        tx.saveKpiFact(fact);
        if (d.storedWaitKeys != null && !d.storedWaitKeys.equals(fact.waitKeys())) {
            tx.relabelKpiWaits(fact);
        }
        for (CycleDraft.PendingWait w : d.newWaits) {
            tx.saveKpiWait(KpiWait.of(fact, w.number(), w.waitingSince(), w.answeredAt(), w.ms(), w.businessMs()));
        }
        if (fact.nextResponses() > 0) {
            d.storedWaitKeys = fact.waitKeys();
        }
        d.newWaits.clear();
        d.dirty = false;
    }

    /** The cycles one page of events touches, loaded once and saved once. */
    static final class Batch {
        private final InboxTransaction tx;
        private final Map<String, List<CycleDraft>> cycles = new HashMap<>();

        Batch(InboxTransaction tx) {
            this.tx = tx;
        }

        List<CycleDraft> cycles(TenantId tenant, ConversationId conversation) {
            return cycles.computeIfAbsent(tenant.value() + "\u0000" + conversation.value(), k -> {
                List<CycleDraft> list = new ArrayList<>();
                for (KpiFact f : tx.kpiFacts(tenant, conversation)) {
                    list.add(CycleDraft.of(f));
                }
                return list;
            });
        }

        /** The conversation's latest cycle; a first one opened by this event when the feed never opened it. */
        CycleDraft current(InboxEvent e, KpiProjector projector) {
            List<CycleDraft> list = cycles(e.tenant(), e.conversation().orElseThrow());
            if (list.isEmpty()) {
                return projector.open(this, e, e.conversation().get(), 1);
            }
            return list.get(list.size() - 1);
        }

        /**
         * The cycle a rating or survey is about: the latest resolved one (a late answer after a reopening still
         * counts for the cycle the survey asked about), else the latest.
         */
        CycleDraft rated(InboxEvent e, KpiProjector projector) {
            List<CycleDraft> list = cycles(e.tenant(), e.conversation().orElseThrow());
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).outcome == KpiOutcome.RESOLVED) {
                    return list.get(i);
                }
            }
            return current(e, projector);
        }

        void flush() {
            for (List<CycleDraft> list : cycles.values()) {
                for (CycleDraft d : list) {
                    if (d.dirty) {
                        save(tx, d);
                    }
                }
            }
        }
    }
}
