package dev.switchboard.inbox.kpi;

import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link KpiFact} being changed by the projector; {@link #dirty} when it must be saved. Internal. */
final class CycleDraft {
    final TenantId tenant;
    final ConversationId conversation;
    final int cycle;
    String customer = "";
    String channel = "";
    String channelType = "";
    String agent = "";
    String team = "";
    Priority priority = Priority.NORMAL;
    KpiOutcome outcome = KpiOutcome.OPEN;
    Instant openedAt;
    String openedDay;
    String openedWeek;
    String openedMonth;
    Instant firstCustomerAt;
    Instant awaitingSince;
    Instant firstResponseAt;
    Long firstResponseMs;
    Long firstResponseBusinessMs;
    Instant resolvedAt;
    Long resolutionMs;
    Long resolutionBusinessMs;
    int messagesIn;
    int messagesOut;
    int nextResponses;
    long nextResponseMs;
    long nextResponseBusinessMs;
    Integer rating;
    boolean surveyed;
    boolean complaint;
    boolean firstResponseBreached;
    boolean resolutionBreached;
    int nextResponseBreaches;
    String slaPolicy = "";
    boolean firstResponseSla;
    boolean resolutionSla;
    boolean dirty;
    /** The waits' keys as stored ({@code null}: no wait stored yet), to relabel them when the keys change. */
    String storedWaitKeys;
    /** Waits measured since the draft was loaded, saved with the cycle's keys at flush. */
    final List<PendingWait> newWaits = new ArrayList<>();

    /** A next-response wait measured in this batch. */
    record PendingWait(int number, Instant waitingSince, Instant answeredAt, long ms, long businessMs) {
    }

    CycleDraft(TenantId tenant, ConversationId conversation, int cycle) {
        this.tenant = tenant;
        this.conversation = conversation;
        this.cycle = cycle;
    }

    static CycleDraft of(KpiFact f) {
        CycleDraft d = new CycleDraft(f.tenant(), f.conversation(), f.cycle());
        d.customer = f.customer();
        d.channel = f.channel();
        d.channelType = f.channelType();
        d.agent = f.agent();
        d.team = f.team();
        d.priority = f.priority();
        d.outcome = f.outcome();
        d.openedAt = f.openedAt();
        d.openedDay = f.openedDay();
        d.openedWeek = f.openedWeek();
        d.openedMonth = f.openedMonth();
        d.firstCustomerAt = f.firstCustomerAt().orElse(null);
        d.awaitingSince = f.awaitingSince().orElse(null);
        d.firstResponseAt = f.firstResponseAt().orElse(null);
        d.firstResponseMs = f.firstResponseMs().orElse(null);
        d.firstResponseBusinessMs = f.firstResponseBusinessMs().orElse(null);
        d.resolvedAt = f.resolvedAt().orElse(null);
        d.resolutionMs = f.resolutionMs().orElse(null);
        d.resolutionBusinessMs = f.resolutionBusinessMs().orElse(null);
        d.messagesIn = f.messagesIn();
        d.messagesOut = f.messagesOut();
        d.nextResponses = f.nextResponses();
        d.nextResponseMs = f.nextResponseMs();
        d.nextResponseBusinessMs = f.nextResponseBusinessMs();
        d.rating = f.rating().orElse(null);
        d.surveyed = f.surveyed();
        d.complaint = f.complaint();
        d.firstResponseBreached = f.firstResponseBreached();
        d.resolutionBreached = f.resolutionBreached();
        d.nextResponseBreaches = f.nextResponseBreaches();
        d.slaPolicy = f.slaPolicy();
        d.firstResponseSla = f.firstResponseSla();
        d.resolutionSla = f.resolutionSla();
        d.storedWaitKeys = f.nextResponses() > 0 ? f.waitKeys() : null;
        return d;
    }

    KpiFact toFact() {
        return new KpiFact(tenant, conversation, cycle, customer, channel, channelType, agent, team, priority,
                outcome, openedAt, openedDay, openedWeek, openedMonth, Optional.ofNullable(firstCustomerAt),
                Optional.ofNullable(awaitingSince), Optional.ofNullable(firstResponseAt),
                Optional.ofNullable(firstResponseMs), Optional.ofNullable(firstResponseBusinessMs),
                Optional.ofNullable(resolvedAt), Optional.ofNullable(resolutionMs),
                Optional.ofNullable(resolutionBusinessMs), messagesIn, messagesOut, nextResponses, nextResponseMs,
                nextResponseBusinessMs, Optional.ofNullable(rating), surveyed, complaint, firstResponseBreached,
                resolutionBreached, nextResponseBreaches, slaPolicy, firstResponseSla, resolutionSla);
    }
}
