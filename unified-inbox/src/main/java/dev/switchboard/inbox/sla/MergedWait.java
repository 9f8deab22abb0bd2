package dev.switchboard.inbox.sla;

import dev.switchboard.inbox.calendar.BusinessCalendar;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a merge of two customers does to their SLA clocks: the clock follows the customer, not the channel, so when a
 * merge folds one conversation into the other, the folded one's unsettled deadlines end as {@link SlaState#MERGED}
 * and the kept one's clocks start from the earlier unanswered message of the two. A response wait carries over unless
 * a person replied in the kept conversation after it started (that reply answered the customer); it lands on the
 * kept conversation's first-response clock when nobody replied there yet, else on its next-response clock. A warning
 * or breach already published on either conversation stays published (the carried deadline keeps that state), so
 * none is published twice. Runs in the merge's transaction. Internal.
 */
final class MergedWait {
    private MergedWait() {
    }

    /** Ends the folded conversation's unsettled deadlines as MERGED; returns them as they were. */
    static List<SlaDeadline> settleFolded(InboxTransaction tx, TenantId tenant, ConversationId folded) {
        List<SlaDeadline> waits = new ArrayList<>();
        for (SlaDeadline d : tx.slaDeadlines(tenant, folded)) {
            if (!d.state().settled() && tx.transitionSla(d, d.withState(SlaState.MERGED))) {
                waits.add(d);
            }
        }
        return waits;
    }

    /** Moves the kept conversation's clocks back to the folded waits that started earlier and are unanswered. */
    static void carry(InboxTransaction tx, Conversation kept, SlaPolicy policy, BusinessCalendar calendar,
                      List<Message> history, List<SlaDeadline> waits) {
        Map<SlaKind, SlaDeadline> stored = new EnumMap<>(SlaKind.class);
        tx.slaDeadlines(kept.tenant(), kept.id()).forEach(d -> stored.put(d.kind(), d));
        Optional<Instant> lastReply = SlaClock.lastAgentReply(history);
        SlaKind response = lastReply.isPresent() ? SlaKind.NEXT_RESPONSE : SlaKind.FIRST_RESPONSE;
        for (SlaDeadline wait : waits.stream().sorted(Comparator.comparing(SlaDeadline::startedAt)).toList()) {
            boolean resolution = wait.kind() == SlaKind.RESOLUTION;
            if (!resolution && lastReply.isPresent() && !lastReply.get().isBefore(wait.startedAt())) {
                continue; // answered in the kept conversation since it started
            }
            SlaKind kind = resolution ? SlaKind.RESOLUTION : response;
            Optional<Duration> target = policy.target(kind);
            SlaDeadline old = stored.get(kind);
            if (target.isEmpty() || old != null && (old.state().settled()
                    || !old.startedAt().isAfter(wait.startedAt()))) {
                continue;
            }
            SlaState state = carriedState(old, wait);
            Instant start = wait.startedAt();
            // a clock paused after its warning went out has no warning time left: that warning stays published too
            boolean warned = warned(wait) || old != null && warned(old);
            Optional<Instant> warnAt = (state == SlaState.RUNNING || state == SlaState.PAUSED) && !warned
                    ? SlaClock.warnAt(policy, calendar, start, target.get()) : Optional.empty();
            SlaDeadline next = new SlaDeadline(kept.tenant(), kept.id(), kind, policy.name(), state, start,
                    SlaClock.add(policy, calendar, start, target.get()), warnAt,
                    state == SlaState.PAUSED ? old.pausedAt() : Optional.empty());
            if (old == null ? !tx.insertSlaDeadline(next) : !tx.transitionSla(old, next)) {
                continue; // the timer moved it first; the next evaluation sees the merge's result anyway
            }
            stored.put(kind, next);
        }
    }

    /** Whether the deadline's warning was published: warned, or paused without a warning time left. */
    private static boolean warned(SlaDeadline d) {
        return d.state() == SlaState.WARNED || d.state() == SlaState.PAUSED && d.warnAt().isEmpty();
    }

    /** A breach or warning published on either side stays published; a paused kept clock stays paused. */
    private static SlaState carriedState(SlaDeadline old, SlaDeadline wait) {
        SlaState kept = old == null ? SlaState.RUNNING : old.state();
        if (kept == SlaState.BREACHED || wait.state() == SlaState.BREACHED) {
            return SlaState.BREACHED;
        }
        if (kept == SlaState.PAUSED) {
            return SlaState.PAUSED;
        }
        return kept == SlaState.WARNED || wait.state() == SlaState.WARNED ? SlaState.WARNED : SlaState.RUNNING;
    }
}
