package dev.switchboard.inbox.sla;

import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.InboxListener;
import dev.switchboard.inbox.Subscription;
import dev.switchboard.inbox.calendar.BusinessCalendar;
import dev.switchboard.inbox.calendar.CalendarRegistry;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbox node's SLA engine: the policies of each tenant that configured some, a listener on the durable event feed
 * that re-evaluates a conversation's stored deadlines when a customer writes, an agent replies or the conversation
 * changes, and a timer that wakes at the earliest stored {@link SlaDeadline#nextFire()} (at most {@link #MAX_SLEEP}
 * later, so a deadline another node stored, or one left by a node that died, is seen within that time) and publishes
 * {@code SLA_WARNING} and {@code SLA_BREACHED}. Every node runs the same timer; a warning or breach is a conditional
 * update of the stored row in the same transaction as its event and its priority/tag escalations, so it happens once
 * however many nodes race. The inbox creates one; hosts use it through {@code TenantInbox.sla()}. Thread-safe.
 */
public final class SlaService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SlaService.class);
    /** The longest the timer sleeps without looking at the store. */
    static final Duration MAX_SLEEP = Duration.ofSeconds(1);
    /** Deadlines published per transaction: one batched update, one read of their conversations, one event insert. */
    private static final int BATCH = 500;
    private static final int MAX_ATTEMPTS = 5;

    private final InboxStore store;
    private final Clock clock;
    private final Function<TenantId, CalendarRegistry> calendars;
    private final BiFunction<TenantId, ChannelId, Optional<ChannelType>> channelTypes;
    private final Function<InboxListener, Subscription> subscribe;
    private final Runnable wake;
    private final Map<TenantId, List<SlaPolicy>> policies = new ConcurrentHashMap<>();
    private final SlaBatchPublisher publisher;
    private final Object lifecycle = new Object();
    private ScheduledExecutorService worker;
    private ScheduledFuture<?> nextRun;
    private Subscription subscription;
    private boolean closed;

    /**
     * Called by the inbox.
     *
     * @param calendars a tenant's calendars
     * @param channelTypes the type of a tenant's channel, when it is configured
     * @param subscribe adds a listener to the node's event feed
     * @param wake wakes the node's feed dispatcher after a commit
     */
    public SlaService(InboxStore store, Clock clock, Function<TenantId, CalendarRegistry> calendars,
                      BiFunction<TenantId, ChannelId, Optional<ChannelType>> channelTypes,
                      Function<InboxListener, Subscription> subscribe, Runnable wake) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.calendars = Objects.requireNonNull(calendars, "calendars");
        this.channelTypes = Objects.requireNonNull(channelTypes, "channelTypes");
        this.subscribe = Objects.requireNonNull(subscribe, "subscribe");
        this.wake = Objects.requireNonNull(wake, "wake");
        this.publisher = new SlaBatchPublisher(clock, this::policies);
    }

    /** The SLA of one tenant. */
    public Sla forTenant(TenantId tenant) {
        return new Sla(this, Objects.requireNonNull(tenant, "tenant"));
    }

    Clock clock() {
        return clock;
    }

    InboxStore store() {
        return store;
    }

    List<SlaPolicy> policies(TenantId tenant) {
        return policies.getOrDefault(tenant, List.of());
    }

    /** Sets the tenant's policies; starts this node's listener and timer on first use. */
    void configure(TenantId tenant, List<SlaPolicy> list) {
        policies.put(tenant, List.copyOf(list));
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the inbox is closed");
            }
            if (worker == null) {
                worker = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "switchboard-sla");
                    t.setDaemon(true);
                    return t;
                });
                subscription = subscribe.apply(this::onEvent);
                nextRun = worker.schedule(this::timer, 0, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void onEvent(InboxEvent event) {
        if (!policies.containsKey(event.tenant()) || event.conversation().isEmpty() || !relevant(event)) {
            return;
        }
        synchronized (lifecycle) {
            if (worker != null && !closed) {
                worker.execute(() -> {
                    try {
                        evaluate(event.tenant(), event.conversation().get());
                        if (event.type() == InboxEvent.Type.CONVERSATION_RESOLVED) {
                            event.attribute(InboxEvent.Attribute.INTO).ifPresent(into ->
                                    evaluate(event.tenant(), ConversationId.of(into)));
                        }
                        reschedule();
                    } catch (RuntimeException e) {
                        log.warn("SLA evaluation of {} after event {} failed: {}", event.conversation().get(),
                                event.seq(), e.toString());
                    }
                });
            }
        }
    }

    private static boolean relevant(InboxEvent e) {
        return switch (e.type()) {
            case MESSAGE_RECEIVED -> !"true".equals(e.attributes().get(InboxEvent.Attribute.AUTOMATED));
            case REPLY_QUEUED, CONVERSATION_UPDATED, CONVERSATION_RESOLVED, CONVERSATION_REOPENED -> true;
            default -> false;
        };
    }

    /** Wakes the timer at the earliest stored fire time (at most {@link #MAX_SLEEP} from now). */
    private void reschedule() {
        synchronized (lifecycle) {
            if (worker == null || closed) {
                return;
            }
        }
        // read outside the lock: the feed dispatcher takes it to hand events over and must not wait for the store
        Optional<Instant> next = store.inTransaction(InboxTransaction::nextSlaFire);
        Instant now = clock.instant();
        synchronized (lifecycle) {
            if (worker == null || closed) {
                return;
            }
            long delay = Math.min(MAX_SLEEP.toMillis(), next.map(n -> Math.max(0, Duration.between(now, n)
                    .toMillis())).orElse(MAX_SLEEP.toMillis()));
            if (nextRun != null && nextRun.getDelay(TimeUnit.MILLISECONDS) <= delay && !nextRun.isDone()) {
                return;
            }
            if (nextRun != null) {
                nextRun.cancel(false);
            }
            nextRun = worker.schedule(this::timer, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void timer() {
        try {
            runDue(clock.instant());
        } catch (RuntimeException e) {
            log.warn("SLA timer failed; it retries: {}", e.toString());
        }
        try {
            synchronized (lifecycle) {
                nextRun = null;
            }
            reschedule();
        } catch (RuntimeException e) {
            log.warn("SLA timer could not read the next deadline; it retries: {}", e.toString());
            synchronized (lifecycle) {
                if (worker != null && !closed) {
                    nextRun = worker.schedule(this::timer, MAX_SLEEP.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    // ---- the timer ----------------------------------------------------------------------------------------------

    /**
     * Publishes every warning and breach due at {@code now}; returns how many this call published. When it returns,
     * every deadline due at {@code now} has been published by this node or another.
     */
    int runDue(Instant instant) {
        // the stores keep microseconds: PostgreSQL rounds a finer bound instant to the nearest one, so a deadline
        // due within half a microsecond after the clock would be found due before this timer sees it due
        Instant now = instant.truncatedTo(ChronoUnit.MICROS);
        int published = 0;
        while (true) {
            List<SlaBatchPublisher.Fired> fired = new ArrayList<>();
            int seen = store.inTransaction(tx -> {
                fired.clear();
                List<SlaDeadline> due = tx.dueSlaDeadlines(now, BATCH);
                fired.addAll(publisher.publish(tx, due, now));
                return due.size();
            });
            if (!fired.isEmpty()) {
                wake.run();
            }
            for (SlaBatchPublisher.Fired f : fired) {
                runCallbacks(f);
            }
            published += fired.size();
            if (seen < BATCH || fired.isEmpty()) {
                return published;
            }
        }
    }

    private static void runCallbacks(SlaBatchPublisher.Fired f) {
        for (SlaAction a : f.actions()) {
            if (a instanceof SlaAction.Callback cb) {
                try {
                    cb.action().accept(f.deadline().tenant(), f.deadline().conversation());
                } catch (RuntimeException e) {
                    log.warn("SLA callback {} for {} failed: {}", cb.name(), f.deadline().conversation(),
                            e.toString());
                }
            }
        }
    }

    // ---- evaluation ---------------------------------------------------------------------------------------------

    /**
     * Brings the conversation's stored deadlines in line with its history, status, tags and policy: starts the
     * clocks a waiting customer started, settles those an agent's reply or the resolution kept, pauses and resumes,
     * and re-computes targets when another policy now applies. Safe to repeat and to race: existing rows change only
     * by a conditional update, and a lost race is evaluated again.
     */
    void evaluate(TenantId tenant, ConversationId conversation) {
        if (!policies.containsKey(tenant)) {
            return;
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (store.inTransaction(tx -> evaluateIn(tx, tenant, conversation))) {
                reschedule();
                return;
            }
        }
        log.warn("SLA evaluation of {} kept racing with the timer; the next event evaluates it again", conversation);
    }

    private boolean evaluateIn(InboxTransaction tx, TenantId tenant, ConversationId id) {
        // The stored deadlines are read before the conversation and its messages. At READ COMMITTED each read sees
        // what was committed when it ran, and a deadline is only stored from messages already committed, so reading
        // it first means the history read next is at least as new as any stored clock: a clock another evaluation
        // started for a message this one could not yet see is never taken for answered. Deadlines older than the
        // history are safe: every write to them is conditional on the row read.
        Map<SlaKind, SlaDeadline> stored = new LinkedHashMap<>();
        tx.slaDeadlines(tenant, id).forEach(d -> stored.put(d.kind(), d));
        Optional<Conversation> found = tx.conversation(tenant, id);
        if (found.isEmpty()) {
            return true;
        }
        Conversation c = found.get();
        Instant now = clock.instant();
        List<Message> history = history(tx, tenant, id);
        Optional<SlaPolicy> policy = policyOf(tx, c);
        Optional<Message> first = SlaClock.firstCustomerMessage(history);
        if (policy.isEmpty() || first.isEmpty()) {
            return true;
        }
        SlaPolicy p = policy.get();
        BusinessCalendar calendar = calendarOf(c);
        boolean paused = p.pauseStatuses().contains(c.status()) || p.pauseTags().stream().anyMatch(c.tags()::contains);
        boolean resolved = c.status() == ConversationStatus.RESOLVED;
        Instant firstAt = first.get().storedAt();
        Optional<Message> firstReply = SlaClock.firstAgentReplyAfter(history, firstAt);
        Optional<Message> waiting = SlaClock.waitingSince(history);

        boolean ok = true;
        for (SlaKind kind : SlaKind.values()) {
            Optional<Duration> target = p.target(kind);
            if (target.isEmpty()) {
                continue;
            }
            Optional<Instant> start;
            boolean met;
            switch (kind) {
                case FIRST_RESPONSE -> {
                    start = Optional.of(firstAt);
                    met = firstReply.isPresent() || resolved;
                }
                case NEXT_RESPONSE -> {
                    start = firstReply.isPresent() ? waiting.map(Message::storedAt) : Optional.empty();
                    met = start.isEmpty() || resolved;
                }
                default -> {
                    start = Optional.of(firstAt);
                    met = resolved;
                }
            }
            SlaDeadline old = stored.get(kind);
            // a merge may have moved this clock's start back to the customer's earlier unanswered message in the
            // conversation it folded (MergedWait): the first-response and resolution clocks start once, so an
            // earlier start is that; a next-response clock keeps it unless a reply came between the two starts
            boolean carried = old != null && start.isPresent() && old.startedAt().isBefore(start.get())
                    && (kind != SlaKind.NEXT_RESPONSE || SlaClock.noReplyBetween(history, old.startedAt(),
                    start.get()));
            // an earlier start of a clock that is not settled: a customer message that committed after an earlier
            // evaluation read the history (or came in by a merge). It is the same wait counted from the earlier
            // message, not a new clock, so a warning or breach already published for it is not published again
            boolean earlier = old != null && start.isPresent() && start.get().isBefore(old.startedAt())
                    && !old.state().settled();
            ok &= reconcile(tx, tenant, id, kind, p, calendar, target.get(), start, met, paused, old,
                    carried || earlier, now);
        }
        return ok;
    }

    /** The conversation's messages without automatic ones (acknowledgements, bots answer nobody). */
    private static List<Message> history(InboxTransaction tx, TenantId tenant, ConversationId id) {
        return tx.messages(tenant, id).stream().filter(m -> SlaClock.fromCustomer(m) || !automated(tx, m)).toList();
    }

    /** The first of the tenant's policies that matches the conversation now. */
    private Optional<SlaPolicy> policyOf(InboxTransaction tx, Conversation c) {
        Optional<ChannelType> type = c.channel().flatMap(ch -> channelTypes.apply(c.tenant(), ch));
        Map<String, String> attributes = tx.customer(c.tenant(), c.customer()).map(Customer::attributes)
                .orElse(Map.of());
        return policies(c.tenant()).stream().filter(p -> p.matches(type, c.priority(), c.tags(), attributes))
                .findFirst();
    }

    private BusinessCalendar calendarOf(Conversation c) {
        return c.channel().map(ch -> calendars.apply(c.tenant()).forChannel(ch))
                .orElseGet(() -> calendars.apply(c.tenant()).defaultCalendar());
    }

    /**
     * Called by the inbox inside the transaction of a merge that folded {@code folded} into {@code kept} (one
     * customer, one waiting conversation): the folded conversation's unsettled deadlines end as
     * {@link SlaState#MERGED} (not met), and the kept conversation's clocks count from the earliest unanswered start
     * of the two, keeping a warning or breach already published so that neither is published again. Does nothing for
     * tenants without SLA policies on this node.
     */
    public void conversationFolded(InboxTransaction tx, TenantId tenant, ConversationId folded, ConversationId kept,
                                   Instant now) {
        if (!policies.containsKey(tenant)) {
            return;
        }
        try {
            carry(tx, tenant, folded, kept);
        } catch (RuntimeException e) {
            // the merge (perhaps an inbound message's) must not fail for its clocks: evaluation follows the feed
            log.warn("SLA could not carry the wait of {} into {} on merge: {}", folded, kept, e.toString());
        }
    }

    private void carry(InboxTransaction tx, TenantId tenant, ConversationId folded, ConversationId kept) {
        List<SlaDeadline> waits = MergedWait.settleFolded(tx, tenant, folded);
        evaluateIn(tx, tenant, kept); // the kept conversation's own clocks first
        Optional<Conversation> c = tx.conversation(tenant, kept);
        Optional<SlaPolicy> policy = c.flatMap(k -> policyOf(tx, k));
        if (waits.isEmpty() || policy.isEmpty()) {
            return;
        }
        // the timer sees a carried clock that is due sooner within MAX_SLEEP, or at once when the merge's
        // CONVERSATION_RESOLVED event reaches this node's listener (it reschedules after evaluating)
        MergedWait.carry(tx, c.get(), policy.get(), calendarOf(c.get()), history(tx, tenant, kept), waits);
    }

    /** Whether an outbound message was sent as automated (its first outbox row says so). */
    private static boolean automated(InboxTransaction tx, Message m) {
        return tx.outboxEntry(m.id().value() + ":0").map(OutboxEntry::message).map(o -> o.automatic())
                .orElse(false);
    }

    /**
     * Moves one stored deadline to what it should be; false when a racing transition got there first. {@code same}
     * says a start that differs from the stored one continues the stored clock (a merge's carry keeps an earlier
     * stored start; an earlier start found later moves the stored one back) rather than starting a new one. A
     * warning or breach published for a clock stays published whatever moves its targets, so none is published twice.
     */
    private static boolean reconcile(InboxTransaction tx, TenantId tenant, ConversationId id, SlaKind kind,
                                     SlaPolicy p, BusinessCalendar calendar, Duration target, Optional<Instant> start,
                                     boolean met, boolean paused, SlaDeadline old, boolean same, Instant now) {
        if (old == null || start.isPresent() && !old.startedAt().equals(start.get()) && !same) {
            if (start.isPresent() && met && old == null && kind != SlaKind.NEXT_RESPONSE) {
                // evaluated only after the clock was kept (an answer came before this evaluation ran): stored as
                // met, so the clock is known to have run (SLA_STARTED, which the KPIs' attainment counts) once
                Instant s = start.get();
                SlaDeadline kept = new SlaDeadline(tenant, id, kind, p.name(), SlaState.MET, s,
                        SlaClock.add(p, calendar, s, target), Optional.empty(), Optional.empty());
                return started(tx, tx.insertSlaDeadline(kept), kept, now);
            }
            if (start.isEmpty() || met) {
                return true;
            }
            // a new clock: the first message, or a customer waiting again after an answer
            Instant s = start.get();
            SlaDeadline fresh = new SlaDeadline(tenant, id, kind, p.name(), SlaState.RUNNING, s,
                    SlaClock.add(p, calendar, s, target), SlaClock.warnAt(p, calendar, s, target), Optional.empty());
            if (paused) {
                fresh = new SlaDeadline(tenant, id, kind, p.name(), SlaState.PAUSED, s, fresh.dueAt(), fresh.warnAt(),
                        Optional.of(now));
            }
            if (old == null) {
                // never overwrite a deadline a racing evaluation stored first
                return started(tx, tx.insertSlaDeadline(fresh), fresh, now);
            }
            return started(tx, tx.transitionSla(old, fresh), fresh, now);
        }
        if (old.state().settled()) {
            return true;
        }
        if (met) {
            return tx.transitionSla(old, old.withState(old.state() == SlaState.BREACHED ? SlaState.MET_LATE
                    : SlaState.MET));
        }
        if (old.state() == SlaState.BREACHED) {
            return true;
        }
        SlaDeadline target2 = old;
        boolean movedBack = start.isPresent() && start.get().isBefore(old.startedAt());
        if (!old.policy().equals(p.name()) || movedBack) {
            // another policy applies now (priority, tags or channel changed): its targets from the same start; or
            // the clock started earlier than stored: the policy's targets from that start. A published warning
            // stays published (the clock is WARNED without a warning time) and a pause stays paused
            Instant from = movedBack ? start.get() : old.startedAt();
            Optional<Instant> warn = old.state() == SlaState.WARNED
                    || old.state() == SlaState.PAUSED && old.warnAt().isEmpty()
                    ? Optional.empty() : SlaClock.warnAt(p, calendar, from, target);
            target2 = new SlaDeadline(tenant, id, kind, p.name(), old.state(), from, SlaClock.add(p, calendar, from,
                    target), warn, old.pausedAt());
        }
        if (paused && target2.state() != SlaState.PAUSED) {
            target2 = new SlaDeadline(tenant, id, kind, target2.policy(), SlaState.PAUSED, target2.startedAt(),
                    target2.dueAt(), target2.warnAt(), Optional.of(now));
        } else if (!paused && target2.state() == SlaState.PAUSED) {
            // resume: the time the clock stood still moves the due and warning times on
            Instant since = target2.pausedAt().orElse(now);
            Duration stood = SlaClock.elapsed(p, calendar, since, now);
            Instant due = SlaClock.add(p, calendar, target2.dueAt(), stood);
            Optional<Instant> warn = target2.warnAt().map(w -> SlaClock.add(p, calendar, w, stood));
            target2 = new SlaDeadline(tenant, id, kind, target2.policy(), warn.isPresent() ? SlaState.RUNNING
                    : SlaState.WARNED, target2.startedAt(), due, warn, Optional.empty());
        }
        if (target2.equals(old)) {
            return true;
        }
        boolean changed = tx.transitionSla(old, target2);
        return old.policy().equals(target2.policy()) ? changed : started(tx, changed, target2, now);
    }

    /**
     * Publishes SLA_STARTED for a first-response or resolution clock that started (or now runs under another
     * policy) when its row was stored, in the same transaction: the KPIs count attainment over the cycles it names.
     */
    private static boolean started(InboxTransaction tx, boolean stored, SlaDeadline d, Instant now) {
        if (stored && d.kind() != SlaKind.NEXT_RESPONSE) {
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put(InboxEvent.Attribute.SLA_KIND, d.kind().name());
            attrs.put(InboxEvent.Attribute.SLA_POLICY, d.policy());
            attrs.put(InboxEvent.Attribute.DUE_AT, d.dueAt().toString());
            tx.appendEvent(new InboxEvent(0, d.tenant(), InboxEvent.Type.SLA_STARTED, Optional.of(d.conversation()),
                    Optional.empty(), Optional.empty(), attrs, now));
        }
        return stored;
    }

    /**
     * Called by the inbox after an agent action changed a conversation (status, priority, tags): re-evaluates its
     * deadlines at once, so a policy change is visible when the call returns. Does nothing for tenants without SLA.
     */
    public void conversationChanged(TenantId tenant, ConversationId conversation) {
        try {
            evaluate(tenant, conversation);
        } catch (RuntimeException e) {
            log.warn("SLA could not follow the change of conversation {}: {}", conversation, e.toString());
        }
    }

    /** Stops the listener and the timer. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
            if (subscription != null) {
                subscription.close();
            }
            if (worker != null) {
                worker.shutdownNow();
            }
        }
    }
}
