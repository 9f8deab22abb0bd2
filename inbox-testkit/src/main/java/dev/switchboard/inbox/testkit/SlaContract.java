package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.calendar.BusinessCalendar;
import dev.switchboard.inbox.sla.Sla;
import dev.switchboard.inbox.sla.SlaAction;
import dev.switchboard.inbox.sla.SlaDeadline;
import dev.switchboard.inbox.sla.SlaKind;
import dev.switchboard.inbox.sla.SlaPolicy;
import dev.switchboard.inbox.sla.SlaState;
import dev.switchboard.inbox.sla.SlaTransition;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SLA policies and deadlines (first response with its warning and breach, a person's reply meeting it, business time
 * across a closed night, pausing, policy re-evaluation on a priority change, a restart on the same store, nodes racing
 * for one breach, escalation), runnable against any {@link InboxStore}: a store vendor extends it and implements
 * {@link #newStore()}. Time is a {@link ManualClock}; the test moves it and publishes what is due with
 * {@link Sla#runDue()}, so no assertion depends on the timer thread's timing (it runs too, and may publish first: the
 * assertions read the feed, where each warning and breach appears once whoever published it). Test methods are public
 * so subclasses in other packages inherit them.
 */
public abstract class SlaContract {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Monday 2026-03-02 09:00 UTC. */
    private static final Instant MONDAY_NINE = Instant.parse("2026-03-02T09:00:00Z");

    /** A fresh, empty store; closed after the test. */
    protected abstract InboxStore newStore();

    /**
     * Another node's store over the same data as {@code first}; the in-memory store has no other node, so the
     * default shares {@code first}. Closed after the test.
     */
    protected InboxStore anotherNode(InboxStore first) {
        return first;
    }

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    protected final ManualClock clock = new ManualClock(MONDAY_NINE);
    protected FakeChannel telegram;
    protected FakeChannel email;
    protected Inbox inbox;
    protected Sla sla;
    protected InboxStore store;

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** A started inbox over {@code on} (a fresh store when null) with a Telegram fake channel and these policies. */
    protected Sla start(InboxStore on, List<SlaPolicy> policies) {
        if (on == null) {
            store = newStore();
            cleanup.add(store);
            on = store;
        }
        telegram = FakeChannel.of("tg", ChannelType.TELEGRAM);
        email = FakeChannel.of("mail", ChannelType.EMAIL);
        inbox = Inbox.builder().store(on).clock(clock).channel(telegram).channel(email).reopenWindow(Duration.ZERO)
                .eventPollInterval(Duration.ofMillis(50)).build();
        cleanup.add(inbox);
        inbox.start();
        sla = inbox.forTenant(TenantId.DEFAULT).sla();
        sla.configure(policies);
        return sla;
    }

    protected Sla start(SlaPolicy... policies) {
        return start(null, List.of(policies));
    }

    /** A customer writes; returns their open conversation with its deadlines evaluated. */
    protected ConversationId write(String user) throws Exception {
        return write(telegram, user);
    }

    /** A customer writes on {@code channel}; returns their open conversation with its deadlines evaluated. */
    protected ConversationId write(FakeChannel channel, String user) throws Exception {
        done(channel.deliver(channel.text(user, "hello from " + user)));
        Customer customer = inbox.customerByAccount(channel.account(user).key()).orElseThrow();
        ConversationId id = inbox.conversations(ConversationQuery.builder(TenantId.DEFAULT)
                        .status(ConversationStatus.OPEN).limit(1000).build()).items().stream()
                .filter(c -> c.customer().equals(customer.id())).findFirst().orElseThrow().id();
        sla.evaluate(id);
        return id;
    }

    protected SlaDeadline deadline(ConversationId id, SlaKind kind) {
        return sla.deadlines(id).stream().filter(d -> d.kind() == kind).findFirst().orElseThrow();
    }

    /** The SLA events of the feed as "TYPE KIND conversation". */
    protected List<String> slaEvents() {
        return inbox.events(0, 1000).stream()
                .filter(e -> e.type() == InboxEvent.Type.SLA_WARNING || e.type() == InboxEvent.Type.SLA_BREACHED)
                .map(e -> e.type() + " " + e.attribute(InboxEvent.Attribute.SLA_KIND).orElseThrow() + " "
                        + e.conversation().orElseThrow().value())
                .toList();
    }

    /**
     * The feed's SLA events are these, waiting (bounded) for the inbox's own background timer: {@code runDue} skips a
     * due row that timer holds locked, and the event is the timer's once it commits.
     */
    protected void assertSlaEvents(String... expected) {
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() ->
                assertThat(slaEvents()).containsExactly(expected));
    }

    private void advanceAndRun(Duration d) {
        clock.advance(d);
        sla.runDue();
    }

    private static void done(CompletionStage<?> stage) throws Exception {
        stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static SlaPolicy.Builder tenMinutes(String name) {
        return SlaPolicy.builder(name).firstResponse(Duration.ofMinutes(10));
    }

    // ---- the store's fire order ---------------------------------------------------------------------------------

    private static SlaDeadline running(TenantId tenant, String conversation, long dueSeconds, long warnSeconds) {
        return new SlaDeadline(tenant, ConversationId.of(conversation), SlaKind.FIRST_RESPONSE, "p", SlaState.RUNNING,
                MONDAY_NINE, MONDAY_NINE.plusSeconds(dueSeconds), java.util.Optional.of(MONDAY_NINE.plusSeconds(
                warnSeconds)), java.util.Optional.empty());
    }

    private List<String> due(long atSeconds) {
        return store.inTransaction(tx -> tx.dueSlaDeadlines(MONDAY_NINE.plusSeconds(atSeconds), 10)).stream()
                .map(d -> d.tenant().value() + "/" + d.conversation().value() + " " + d.state()).toList();
    }

    private java.util.Optional<Instant> nextFire() {
        return store.inTransaction(tx -> tx.nextSlaFire());
    }

    private boolean transition(SlaDeadline from, SlaDeadline to) {
        return store.inTransaction(tx -> tx.transitionSla(from, to));
    }

    @Test
    public void dueDeadlinesComeInFireOrderAcrossTenantsAndARolledBackChangeLeavesNoTrace() {
        store = newStore();
        cleanup.add(store);
        TenantId other = TenantId.of("other");
        SlaDeadline c1 = running(TenantId.DEFAULT, "c1", 60, 30);
        store.inTransaction(tx -> {
            tx.saveSlaDeadline(running(TenantId.DEFAULT, "c3", 300, 240));
            tx.saveSlaDeadline(c1);
            tx.saveSlaDeadline(running(other, "c2", 100, 80));
            return null;
        });
        assertThat(nextFire()).contains(MONDAY_NINE.plusSeconds(30));
        assertThat(due(29)).isEmpty();
        assertThat(due(80)).containsExactly("default/c1 RUNNING", "other/c2 RUNNING");

        // the warning is published: c1 fires next at its due time, after c2's warning
        SlaDeadline warned = new SlaDeadline(c1.tenant(), c1.conversation(), c1.kind(), c1.policy(), SlaState.WARNED,
                c1.startedAt(), c1.dueAt(), java.util.Optional.empty(), c1.pausedAt());
        assertThat(transition(c1, warned)).isTrue();
        assertThat(nextFire()).contains(MONDAY_NINE.plusSeconds(60));
        assertThat(due(100)).containsExactly("default/c1 WARNED", "other/c2 RUNNING");

        // a breach rolled back with its transaction: the deadline still fires, once, at the same time
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.transitionSla(warned, warned.withState(SlaState.BREACHED));
            tx.saveSlaDeadline(running(TenantId.DEFAULT, "c4", 10, 5));
            throw new IllegalStateException("roll back");
        })).isInstanceOf(RuntimeException.class);
        assertThat(due(100)).containsExactly("default/c1 WARNED", "other/c2 RUNNING");

        // breached and met deadlines leave the order
        assertThat(transition(warned, warned.withState(SlaState.BREACHED))).isTrue();
        assertThat(due(1000)).containsExactly("other/c2 RUNNING", "default/c3 RUNNING");
        assertThat(nextFire()).contains(MONDAY_NINE.plusSeconds(80));
    }

    private static SlaDeadline warned(SlaDeadline d) {
        return new SlaDeadline(d.tenant(), d.conversation(), d.kind(), d.policy(), SlaState.WARNED, d.startedAt(),
                d.dueAt(), java.util.Optional.empty(), d.pausedAt());
    }

    private static List<Boolean> transitionAll(InboxStore on, List<SlaTransition> batch) {
        return on.inTransaction(tx -> tx.transitionSla(batch));
    }

    private List<SlaDeadline> stored(TenantId tenant, String conversation) {
        return store.inTransaction(tx -> tx.slaDeadlines(tenant, ConversationId.of(conversation)));
    }

    private Map<ConversationId, Conversation> byId(TenantId tenant, List<ConversationId> ids) {
        return store.inTransaction(tx -> tx.conversationsById(tenant, ids));
    }

    @Test
    public void aDeadlineIsInsertedOnlyOnceSoALateEvaluationNeverRewindsOneTheTimerMoved() {
        store = newStore();
        cleanup.add(store);
        InboxStore otherNode = anotherNode(store);
        if (otherNode != store) {
            cleanup.add(otherNode);
        }
        SlaDeadline first = running(TenantId.DEFAULT, "ins", 60, 30);
        // two evaluations both found no deadline: the first inserts, the timer then publishes its warning
        assertThat(store.<Boolean>inTransaction(tx -> tx.insertSlaDeadline(first))).isTrue();
        assertThat(otherNode.<Boolean>inTransaction(tx -> tx.transitionSla(first, warned(first)))).isTrue();
        // the second's insert loses (it evaluates again) instead of putting the deadline back to RUNNING
        assertThat(otherNode.<Boolean>inTransaction(tx -> tx.insertSlaDeadline(first))).isFalse();
        assertThat(store.<Boolean>inTransaction(tx -> tx.insertSlaDeadline(first))).isFalse();
        assertThat(stored(TenantId.DEFAULT, "ins")).containsExactly(warned(first));
        // the same conversation id in another tenant is its own deadline
        SlaDeadline acme = running(TenantId.of("acme"), "ins", 60, 30);
        assertThat(store.<Boolean>inTransaction(tx -> tx.insertSlaDeadline(acme))).isTrue();
        assertThat(stored(TenantId.of("acme"), "ins")).containsExactly(acme);
    }

    @Test
    public void aBatchOfTransitionsWinsOnlyTheRowsNoOtherNodeMovedFirstWithinTheirTenant() {
        store = newStore();
        cleanup.add(store);
        InboxStore otherNode = anotherNode(store);
        if (otherNode != store) {
            cleanup.add(otherNode);
        }
        TenantId acme = TenantId.of("acme");
        SlaDeadline a = running(TenantId.DEFAULT, "a", 60, 30);
        SlaDeadline b = running(TenantId.DEFAULT, "b", 60, 30);
        SlaDeadline c = running(TenantId.DEFAULT, "c", 60, 30);
        SlaDeadline acmeA = running(acme, "a", 60, 30);
        store.inTransaction(tx -> {
            List.of(a, b, c, acmeA).forEach(tx::saveSlaDeadline);
            return null;
        });
        // both nodes read the same due batch; the other node publishes b's warning first
        boolean otherWon = otherNode.inTransaction(tx -> tx.transitionSla(b, warned(b)));
        assertThat(otherWon).isTrue();
        List<SlaTransition> batch = List.of(new SlaTransition(a, warned(a)), new SlaTransition(b, warned(b)),
                new SlaTransition(c, c.withState(SlaState.BREACHED)),
                new SlaTransition(running(TenantId.DEFAULT, "never-stored", 60, 30),
                        warned(running(TenantId.DEFAULT, "never-stored", 60, 30))));
        assertThat(transitionAll(store, batch)).containsExactly(true, false, true, false);
        // the same stale batch again, from either node: every row has moved on, nothing is won twice
        assertThat(transitionAll(otherNode, batch)).containsExactly(false, false, false, false);
        assertThat(transitionAll(store, batch)).containsExactly(false, false, false, false);
        // a batch rolled back with its transaction leaves no trace
        SlaDeadline warnedA = warned(a);
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.transitionSla(List.of(new SlaTransition(warnedA, warnedA.withState(SlaState.BREACHED)),
                    new SlaTransition(acmeA, warned(acmeA))));
            throw new IllegalStateException("roll back");
        })).isInstanceOf(RuntimeException.class);
        assertThat(stored(TenantId.DEFAULT, "a"))
                .containsExactly(warnedA);
        assertThat(stored(TenantId.DEFAULT, "c"))
                .extracting(SlaDeadline::state).containsExactly(SlaState.BREACHED);
        // the same conversation id in another tenant was never touched by the default tenant's batch
        assertThat(stored(acme, "a")).containsExactly(acmeA);
        assertThat(transitionAll(store, List.of())).isEmpty();
    }

    @Test
    public void aTransitionFromAStaleReadLosesEvenWhenStateAndDueTimeStillMatch() {
        store = newStore();
        cleanup.add(store);
        InboxStore otherNode = anotherNode(store);
        if (otherNode != store) {
            cleanup.add(otherNode);
        }
        SlaDeadline read = running(TenantId.DEFAULT, "stale", 600, 480);
        assertThat(store.<Boolean>inTransaction(tx -> tx.insertSlaDeadline(read))).isTrue();
        // another writer moved the row on in everything but its state and due time: another policy with the same
        // target but a later warning, then a pause that kept the due time
        SlaDeadline otherPolicy = new SlaDeadline(read.tenant(), read.conversation(), read.kind(), "other",
                SlaState.RUNNING, read.startedAt(), read.dueAt(), java.util.Optional.of(MONDAY_NINE.plusSeconds(540)),
                java.util.Optional.empty());
        assertThat(otherNode.<Boolean>inTransaction(tx -> tx.transitionSla(read, otherPolicy))).isTrue();
        // the timer's warning computed from the stale read must not apply (the warning it would publish is not the
        // stored row's), neither alone nor in a batch
        assertThat(transition(read, warned(read))).isFalse();
        assertThat(transitionAll(store, List.of(new SlaTransition(read, warned(read)),
                new SlaTransition(read, read.withState(SlaState.BREACHED))))).containsExactly(false, false);
        assertThat(stored(TenantId.DEFAULT, "stale")).containsExactly(otherPolicy);
        // a stale start, or a stale pause, loses as well
        SlaDeadline paused = new SlaDeadline(read.tenant(), read.conversation(), read.kind(), "other", SlaState.PAUSED,
                read.startedAt(), read.dueAt(), otherPolicy.warnAt(), java.util.Optional.of(MONDAY_NINE.plusSeconds(
                60)));
        assertThat(transition(otherPolicy, paused)).isTrue();
        SlaDeadline pausedLater = new SlaDeadline(paused.tenant(), paused.conversation(), paused.kind(), "other",
                SlaState.PAUSED, paused.startedAt(), paused.dueAt(), paused.warnAt(), java.util.Optional.of(
                MONDAY_NINE.plusSeconds(120)));
        SlaDeadline startedLater = new SlaDeadline(paused.tenant(), paused.conversation(), paused.kind(), "other",
                SlaState.PAUSED, MONDAY_NINE.plusSeconds(1), paused.dueAt(), paused.warnAt(), paused.pausedAt());
        assertThat(transition(pausedLater, otherPolicy)).isFalse();
        assertThat(transition(startedLater, otherPolicy)).isFalse();
        assertThat(transition(paused, otherPolicy)).isTrue();
        assertThat(stored(TenantId.DEFAULT, "stale")).containsExactly(otherPolicy);
    }

    @Test
    public void aBatchReadsItsConversationsByIdWithinTheTenant() throws Exception {
        start(tenMinutes("standard").build());
        ConversationId first = write("c1");
        ConversationId second = write("c2");
        ConversationId missing = ConversationId.of("no-such-conversation");
        Map<ConversationId, Conversation> found = byId(TenantId.DEFAULT, List.of(first, missing, second, first));
        assertThat(found).containsOnlyKeys(first, second);
        assertThat(found.get(second)).isEqualTo(inbox.conversation(TenantId.DEFAULT, second).orElseThrow());
        assertThat(byId(TenantId.of("acme"), List.of(first, second))).isEmpty();
        assertThat(byId(TenantId.DEFAULT, List.of())).isEmpty();
    }

    @Test
    public void twoDeadlinesOfOneConversationBreachingInOneBatchEscalateOneAfterTheOther() throws Exception {
        start(tenMinutes("standard").resolution(Duration.ofMinutes(10)).onBreach(SlaAction.raisePriority())
                .onBreach(SlaAction.tag("breached")).build());
        ConversationId id = write("c1");
        // both are due at once: their warnings are skipped, both breaches go out in one batch
        advanceAndRun(Duration.ofMinutes(10));
        assertThat(slaEvents()).containsExactlyInAnyOrder("SLA_BREACHED FIRST_RESPONSE " + id.value(),
                "SLA_BREACHED RESOLUTION " + id.value());
        Conversation escalated = inbox.conversation(TenantId.DEFAULT, id).orElseThrow();
        assertThat(escalated.priority()).isEqualTo(Priority.URGENT);
        assertThat(escalated.tags()).contains("breached");
        assertThat(inbox.events(0, 1000)).filteredOn(e -> e.type() == InboxEvent.Type.CONVERSATION_UPDATED
                && e.attribute(InboxEvent.Attribute.SOURCE).equals(java.util.Optional.of("sla")))
                .extracting(e -> e.attributes().getOrDefault(InboxEvent.Attribute.PRIORITY, "tag"))
                .containsExactly("HIGH", "tag", "URGENT");
    }

    // ---- validation ---------------------------------------------------------------------------------------------

    @Test
    public void badPoliciesAreRefusedNamingThePolicyAndTheOption() {
        assertThatThrownBy(() -> SlaPolicy.builder("chat").firstResponse(Duration.ofMinutes(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SLA policy chat")
                .hasMessageContaining("FIRST_RESPONSE").hasMessageContaining("positive");
        assertThatThrownBy(() -> SlaPolicy.builder("empty").build()).hasMessageContaining("SLA policy empty")
                .hasMessageContaining("no target");
        assertThatThrownBy(() -> tenMinutes("none").channelTypes().build()).hasMessageContaining("SLA policy none")
                .hasMessageContaining("matches nothing");
        assertThatThrownBy(() -> tenMinutes("w").warnAt(1.5).build()).hasMessageContaining("warnAt");
        start(tenMinutes("first").build());
        assertThatThrownBy(() -> sla.configure(List.of(tenMinutes("all").build(),
                tenMinutes("vip").priorities(Priority.URGENT).build())))
                .hasMessageContaining("SLA policy vip matches nothing").hasMessageContaining("all");
        // shadowed without a catch-all: every condition of the earlier one is as wide or wider
        assertThatThrownBy(() -> sla.configure(List.of(tenMinutes("chat").channelTypes(ChannelType.TELEGRAM).build(),
                tenMinutes("urgent-chat").channelTypes(ChannelType.TELEGRAM).priorities(Priority.URGENT).build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SLA policy urgent-chat matches nothing").hasMessageContaining("policy chat");
        assertThatThrownBy(() -> sla.configure(List.of(tenMinutes("gold").customerAttribute("plan", "gold").build(),
                tenMinutes("gold-vip").customerAttribute("plan", "gold").tags("vip").build())))
                .hasMessageContaining("SLA policy gold-vip matches nothing");
        // narrower first, or conditions that only overlap: both can match
        sla.configure(List.of(
                tenMinutes("urgent-chat").channelTypes(ChannelType.TELEGRAM).priorities(Priority.URGENT).build(),
                tenMinutes("chat").channelTypes(ChannelType.TELEGRAM).build(),
                tenMinutes("urgent").priorities(Priority.URGENT, Priority.HIGH).build(),
                tenMinutes("gold").customerAttribute("plan", "gold").build()));
        assertThat(sla.policies()).hasSize(4);
        assertThatThrownBy(() -> sla.configure(List.of(tenMinutes("a").priorities(Priority.HIGH).build(),
                tenMinutes("a").build()))).hasMessageContaining("SLA policy a is configured twice");
    }

    // ---- first response -----------------------------------------------------------------------------------------

    @Test
    public void firstResponseWarnsAtEightyPercentThenBreachesExactlyOnce() throws Exception {
        start(tenMinutes("standard").build());
        ConversationId id = write("c1");
        SlaDeadline d = deadline(id, SlaKind.FIRST_RESPONSE);
        assertThat(d.state()).isEqualTo(SlaState.RUNNING);
        assertThat(d.dueAt()).isEqualTo(MONDAY_NINE.plus(Duration.ofMinutes(10)));
        assertThat(d.warnAt()).contains(MONDAY_NINE.plus(Duration.ofMinutes(8)));

        advanceAndRun(Duration.ofMinutes(8).minusSeconds(1));
        assertThat(slaEvents()).isEmpty();
        advanceAndRun(Duration.ofSeconds(1));
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + id.value());
        assertThat(sla.atRisk(10)).extracting(SlaDeadline::conversation).containsExactly(id);

        advanceAndRun(Duration.ofMinutes(2).minusMillis(1));
        assertThat(slaEvents()).hasSize(1);
        advanceAndRun(Duration.ofMillis(1));
        advanceAndRun(Duration.ofMinutes(5));
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + id.value(),
                "SLA_BREACHED FIRST_RESPONSE " + id.value());
        assertThat(sla.breached(10)).extracting(SlaDeadline::conversation).containsExactly(id);
        assertThat(sla.atRisk(10)).isEmpty();
        InboxEvent breach = inbox.events(0, 1000).stream()
                .filter(e -> e.type() == InboxEvent.Type.SLA_BREACHED).findFirst().orElseThrow();
        assertThat(breach.attribute(InboxEvent.Attribute.SLA_POLICY)).hasValue("standard");
        assertThat(breach.attribute(InboxEvent.Attribute.DUE_AT)).hasValue(d.dueAt().toString());
        assertThat(breach.customer()).isPresent();

        // answered late: no longer counted as breached
        inbox.reply(id, Content.text("sorry"), ReplyOptions.defaults().agent("anna"));
        assertThat(sla.evaluate(id)).extracting(SlaDeadline::state).containsExactly(SlaState.MET_LATE);
        assertThat(sla.breached(10)).isEmpty();
    }

    @Test
    public void deadlinesOfSeveralConversationsAreReadAtOnceWithinTheTenant() throws Exception {
        start(tenMinutes("standard").resolution(Duration.ofHours(8)).build());
        ConversationId first = write("c1");
        clock.advance(Duration.ofMinutes(1));
        ConversationId second = write("c2");
        ConversationId unknown = ConversationId.of("no-such-conversation");

        Map<ConversationId, List<SlaDeadline>> all = sla.deadlines(List.of(second, unknown, first));
        assertThat(all.keySet()).containsExactly(second, unknown, first);
        assertThat(all.get(first)).extracting(SlaDeadline::kind)
                .containsExactlyInAnyOrder(SlaKind.FIRST_RESPONSE, SlaKind.RESOLUTION);
        assertThat(all.get(first)).containsExactlyInAnyOrderElementsOf(sla.deadlines(first));
        assertThat(all.get(second)).filteredOn(d -> d.kind() == SlaKind.FIRST_RESPONSE).singleElement()
                .satisfies(d -> assertThat(d.dueAt()).isEqualTo(MONDAY_NINE.plus(Duration.ofMinutes(11))));
        assertThat(all.get(unknown)).isEmpty();
        assertThat(sla.deadlines(List.of())).isEmpty();
        Map<ConversationId, List<SlaDeadline>> elsewhere = inbox.forTenant(TenantId.of("other-shop")).sla()
                .deadlines(List.of(first, second));
        assertThat(elsewhere.values()).as("another tenant sees none of them").allSatisfy(l -> assertThat(l).isEmpty());
    }

    @Test
    public void theTimerPublishesTheBreachByItself() throws Exception {
        start(tenMinutes("standard").warnAt(1).build());
        ConversationId id = write("c1");
        clock.advance(Duration.ofMinutes(10));
        // nobody calls runDue: the node's timer wakes at least every second and finds the deadline due
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !slaEvents().isEmpty());
        assertSlaEvents("SLA_BREACHED FIRST_RESPONSE " + id.value());
    }

    @Test
    public void aPersonsReplyMeetsTheDeadlineAndTheNextMessageStartsTheNextResponseClock() throws Exception {
        start(tenMinutes("standard").nextResponse(Duration.ofMinutes(30)).build());
        ConversationId id = write("c1");
        clock.advance(Duration.ofMinutes(3));
        // an automatic message answers nobody
        inbox.reply(id, Content.text("we got it"), ReplyOptions.defaults().automated(true));
        assertThat(sla.evaluate(id)).extracting(SlaDeadline::state).containsExactly(SlaState.RUNNING);
        inbox.reply(id, Content.text("hi, Anna here"), ReplyOptions.defaults().agent("anna"));
        assertThat(sla.evaluate(id)).extracting(SlaDeadline::state).containsExactly(SlaState.MET);
        advanceAndRun(Duration.ofHours(1));
        assertThat(slaEvents()).isEmpty();

        ConversationId again = write("c1");
        assertThat(again).isEqualTo(id);
        SlaDeadline next = deadline(id, SlaKind.NEXT_RESPONSE);
        assertThat(next.state()).isEqualTo(SlaState.RUNNING);
        assertThat(next.dueAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        advanceAndRun(Duration.ofMinutes(30));
        // warning and breach due at once: the stale warning is skipped
        assertSlaEvents("SLA_BREACHED NEXT_RESPONSE " + id.value());
    }

    // ---- business time, pause, re-evaluation --------------------------------------------------------------------

    @Test
    public void businessTimeSkipsTheClosedNight() throws Exception {
        start(SlaPolicy.builder("office").firstResponse(Duration.ofMinutes(30)).businessTime(true).build());
        inbox.forTenant(TenantId.DEFAULT).calendars().setDefault(BusinessCalendar.builder("office", "UTC")
                .openWeekdays("09:00", "18:00").build());
        clock.advance(Duration.ofHours(8).plusMinutes(50)); // Monday 17:50: ten minutes left today
        ConversationId id = write("c1");
        SlaDeadline d = deadline(id, SlaKind.FIRST_RESPONSE);
        assertThat(d.dueAt()).isEqualTo(Instant.parse("2026-03-03T09:20:00Z"));
        assertThat(d.warnAt()).contains(Instant.parse("2026-03-03T09:14:00Z"));
        advanceAndRun(Duration.ofHours(15)); // Tuesday 08:50, the night passed
        assertThat(slaEvents()).isEmpty();
        advanceAndRun(Duration.ofMinutes(24)); // Tuesday 09:14
        advanceAndRun(Duration.ofMinutes(6)); // Tuesday 09:20
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + id.value(),
                "SLA_BREACHED FIRST_RESPONSE " + id.value());
    }

    @Test
    public void waitingForTheCustomerPausesTheClock() throws Exception {
        start(SlaPolicy.builder("standard").resolution(Duration.ofHours(2)).pauseTags("waiting-for-customer")
                .build());
        ConversationId id = write("c1");
        clock.advance(Duration.ofMinutes(30));
        inbox.forTenant(TenantId.DEFAULT).tag(id, java.util.Set.of("waiting-for-customer"));
        assertThat(deadline(id, SlaKind.RESOLUTION).state()).isEqualTo(SlaState.PAUSED);
        advanceAndRun(Duration.ofHours(5));
        assertThat(slaEvents()).isEmpty();
        inbox.forTenant(TenantId.DEFAULT).untag(id, java.util.Set.of("waiting-for-customer"));
        SlaDeadline resumed = deadline(id, SlaKind.RESOLUTION);
        assertThat(resumed.state()).isEqualTo(SlaState.RUNNING);
        assertThat(resumed.dueAt()).isEqualTo(MONDAY_NINE.plus(Duration.ofHours(7)));
        // the pending status pauses too (the default pause statuses)
        inbox.setStatus(id, ConversationStatus.PENDING);
        assertThat(deadline(id, SlaKind.RESOLUTION).state()).isEqualTo(SlaState.PAUSED);
        inbox.setStatus(id, ConversationStatus.OPEN);
        advanceAndRun(Duration.ofMinutes(66)); // the warning, 96 minutes of clock in: 10:36 plus the 5 h pause
        assertSlaEvents("SLA_WARNING RESOLUTION " + id.value());
        advanceAndRun(Duration.ofMinutes(24));
        assertSlaEvents("SLA_WARNING RESOLUTION " + id.value(),
                "SLA_BREACHED RESOLUTION " + id.value());
        inbox.resolve(id);
        assertThat(deadline(id, SlaKind.RESOLUTION).state()).isEqualTo(SlaState.MET_LATE);
    }

    @Test
    public void aPriorityChangeReEvaluatesThePolicy() throws Exception {
        start(SlaPolicy.builder("urgent").priorities(Priority.URGENT).firstResponse(Duration.ofMinutes(5)).build(),
                SlaPolicy.builder("standard").firstResponse(Duration.ofHours(1)).build());
        ConversationId id = write("c1");
        assertThat(deadline(id, SlaKind.FIRST_RESPONSE).policy()).isEqualTo("standard");
        clock.advance(Duration.ofMinutes(2));
        inbox.setPriority(id, Priority.URGENT);
        SlaDeadline d = deadline(id, SlaKind.FIRST_RESPONSE);
        assertThat(d.policy()).isEqualTo("urgent");
        assertThat(d.dueAt()).isEqualTo(MONDAY_NINE.plus(Duration.ofMinutes(5)));
        advanceAndRun(Duration.ofMinutes(2)); // 09:04: the urgent policy's warning (the standard one's is at 09:48)
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + id.value());
        advanceAndRun(Duration.ofMinutes(1));
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + id.value(),
                "SLA_BREACHED FIRST_RESPONSE " + id.value());
    }

    @Test
    public void aTimerRunningAFractionOfAMicrosecondBeforeTheDueTimeDoesNotWarnAgain() throws Exception {
        start(tenMinutes("standard").build());
        ConversationId id = write("c1");
        advanceAndRun(Duration.ofMinutes(8));
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + id.value());
        // 09:09:59.9999996, 0.4 microseconds before the due time: a store keeping microseconds rounds this instant
        // up to 09:10 when it compares, and so finds the warned deadline due before the timer sees it due
        advanceAndRun(Duration.ofMinutes(2).minusNanos(400));
        assertThat(slaEvents()).containsExactly("SLA_WARNING FIRST_RESPONSE " + id.value());
        advanceAndRun(Duration.ofNanos(400));
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + id.value(), "SLA_BREACHED FIRST_RESPONSE " + id.value());
        advanceAndRun(Duration.ofMinutes(1));
        assertThat(slaEvents()).hasSize(2);
    }

    @Test
    public void aPolicyChangeAfterTheWarningDoesNotWarnAgain() throws Exception {
        start(SlaPolicy.builder("vip").priorities(Priority.URGENT).firstResponse(Duration.ofMinutes(20)).build(),
                tenMinutes("standard").build());
        ConversationId id = write("c1");
        advanceAndRun(Duration.ofMinutes(8)); // 09:08: the standard policy's warning
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + id.value());
        inbox.setPriority(id, Priority.URGENT); // the vip policy: due 09:20 from the same start, its warning 09:16
        SlaDeadline d = deadline(id, SlaKind.FIRST_RESPONSE);
        assertThat(d.policy()).isEqualTo("vip");
        assertThat(d.dueAt()).isEqualTo(MONDAY_NINE.plus(Duration.ofMinutes(20)));
        assertThat(d.state()).isEqualTo(SlaState.WARNED); // the warning of this clock is published: it stays so
        advanceAndRun(Duration.ofMinutes(8)); // 09:16
        assertThat(slaEvents()).containsExactly("SLA_WARNING FIRST_RESPONSE " + id.value());
        advanceAndRun(Duration.ofMinutes(4)); // 09:20
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + id.value(), "SLA_BREACHED FIRST_RESPONSE " + id.value());
    }

    /**
     * Stores a customer message of the conversation that was received at {@code at}, without a feed event: it stands
     * for a message that committed after the evaluations of its conversation had read the history (two ingests of one
     * customer at once), so only the next evaluation sees it.
     */
    private void earlierMessageSeenLate(ConversationId id, Instant at) {
        dev.switchboard.model.Message first = inbox.messages(TenantId.DEFAULT, id).get(0);
        store.inTransaction(tx -> {
            tx.saveMessage(new dev.switchboard.model.Message(first.tenant(),
                    dev.switchboard.model.MessageId.of("late-" + id.value()), id, first.customer(), first.channel(),
                    first.direction(), first.account(), java.util.Optional.empty(), Content.text("written first"),
                    java.util.Optional.empty(), first.status(), java.util.Optional.empty(), at, at));
            return null;
        });
    }

    @Test
    public void anEarlierStartSeenLateMovesTheClockWithoutPublishingItsBreachAgain() throws Exception {
        start(tenMinutes("standard").build());
        ConversationId id = write("c1");
        advanceAndRun(Duration.ofMinutes(8));
        advanceAndRun(Duration.ofMinutes(2)); // 09:10: due
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + id.value(), "SLA_BREACHED FIRST_RESPONSE " + id.value());
        // the customer's first message was at 08:58: the same clock, counted from then, and already breached
        earlierMessageSeenLate(id, MONDAY_NINE.minus(Duration.ofMinutes(2)));
        SlaDeadline moved = sla.evaluate(id).get(0);
        assertThat(moved.state()).isEqualTo(SlaState.BREACHED);
        advanceAndRun(Duration.ofMinutes(1));
        advanceAndRun(Duration.ofMinutes(10));
        assertThat(slaEvents()).containsExactly("SLA_WARNING FIRST_RESPONSE " + id.value(),
                "SLA_BREACHED FIRST_RESPONSE " + id.value());
    }

    @Test
    public void anEarlierStartSeenLateAfterTheWarningKeepsTheWarningPublished() throws Exception {
        start(tenMinutes("standard").build());
        ConversationId id = write("c1");
        advanceAndRun(Duration.ofMinutes(8)); // 09:08: the warning
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + id.value());
        // the customer's first message was at 08:59: counted from then the clock is due 09:09 and stays warned
        earlierMessageSeenLate(id, MONDAY_NINE.minus(Duration.ofMinutes(1)));
        SlaDeadline moved = sla.evaluate(id).get(0);
        assertThat(moved.state()).isEqualTo(SlaState.WARNED);
        assertThat(moved.warnAt()).isEmpty();
        assertThat(moved.startedAt()).isEqualTo(MONDAY_NINE.minus(Duration.ofMinutes(1)));
        assertThat(moved.dueAt()).isEqualTo(MONDAY_NINE.plus(Duration.ofMinutes(9)));
        advanceAndRun(Duration.ofMinutes(1)); // 09:09: the breach, and no second warning
        advanceAndRun(Duration.ofMinutes(10));
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + id.value(), "SLA_BREACHED FIRST_RESPONSE " + id.value());
        assertThat(slaEvents()).hasSize(2);
    }

    // ---- durability, nodes, escalation --------------------------------------------------------------------------

    @Test
    public void aRestartedInboxOnTheSameStoreStillBreaches() throws Exception {
        List<SlaPolicy> policies = List.of(tenMinutes("standard").warnAt(1).build());
        start(null, policies);
        ConversationId id = write("c1");
        inbox.close();
        clock.advance(Duration.ofMinutes(10));
        start(store, policies);
        sla.runDue();
        assertSlaEvents("SLA_BREACHED FIRST_RESPONSE " + id.value());
    }

    @Test
    public void twoNodesRacingPublishEachBreachExactlyOnce() throws Exception {
        List<SlaPolicy> policies = List.of(tenMinutes("standard").build());
        start(null, policies);
        List<ConversationId> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(write("c" + i));
        }
        Inbox first = inbox;
        Sla firstSla = sla;
        InboxStore other = anotherNode(store);
        if (other != store) {
            cleanup.add(other);
        }
        start(other, policies);
        Sla secondSla = sla;
        clock.advance(Duration.ofMinutes(10));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Sla s = i % 2 == 0 ? firstSla : secondSla;
                runs.add(pool.submit(() -> {
                    go.await();
                    return s.runDue();
                }));
            }
            go.countDown();
            for (Future<Integer> f : runs) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Long> perEvent = first.events(0, 1000).stream()
                .filter(e -> e.type() == InboxEvent.Type.SLA_BREACHED)
                .collect(Collectors.groupingBy(e -> e.conversation().orElseThrow().value(), Collectors.counting()));
        assertThat(perEvent).hasSize(ids.size());
        assertThat(perEvent.values()).containsOnly(1L);
        assertThat(firstSla.breached(100)).hasSize(ids.size());
    }

    @Test
    public void aBreachEscalatesByRaisingThePriorityAndTagging() throws Exception {
        List<String> called = Collections.synchronizedList(new ArrayList<>());
        start(tenMinutes("standard").onWarning(SlaAction.tag("at-risk")).onBreach(SlaAction.raisePriority())
                .onBreach(SlaAction.callback("page the lead", (t, c) -> called.add(c.value()))).build());
        ConversationId id = write("c1");
        advanceAndRun(Duration.ofMinutes(8));
        Conversation warned = inbox.conversation(TenantId.DEFAULT, id).orElseThrow();
        assertThat(warned.tags()).contains("at-risk");
        assertThat(warned.priority()).isEqualTo(Priority.NORMAL);
        advanceAndRun(Duration.ofMinutes(2));
        assertThat(inbox.conversation(TenantId.DEFAULT, id).orElseThrow().priority()).isEqualTo(Priority.HIGH);
        assertThat(inbox.events(0, 1000)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(InboxEvent.Type.CONVERSATION_UPDATED);
            assertThat(e.attribute(InboxEvent.Attribute.PRIORITY)).hasValue("HIGH");
            assertThat(e.attribute(InboxEvent.Attribute.SOURCE)).hasValue("sla");
        });
        // the callback runs on the node that published the breach, once, after its commit
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !called.isEmpty());
        assertThat(called).containsExactly(id.value());
    }

    // ---- the clock follows the customer across a merge ---------------------------------------------------------

    private dev.switchboard.model.CustomerId customerOf(FakeChannel channel, String user) {
        return inbox.customerByAccount(channel.account(user).key()).orElseThrow().id();
    }

    @Test
    public void aCustomerWhoWroteOnTwoChannelsIsOneWaitingCustomerAfterAMergeCountedFromTheFirstMessage()
            throws Exception {
        start(tenMinutes("standard").build());
        Instant t0 = clock.instant();
        ConversationId onTelegram = write(telegram, "ivan");
        clock.advance(Duration.ofMinutes(3));
        ConversationId byEmail = write(email, "ivan@example.com");
        assertThat(deadline(byEmail, SlaKind.FIRST_RESPONSE).startedAt()).isEqualTo(t0.plus(Duration.ofMinutes(3)));
        clock.advance(Duration.ofMinutes(1));

        inbox.merge(TenantId.DEFAULT, customerOf(telegram, "ivan"), customerOf(email, "ivan@example.com"),
                "agent-alice", "same person");
        // the newest conversation stays; its first-response clock counts from the Telegram message
        assertThat(inbox.conversation(TenantId.DEFAULT, onTelegram).orElseThrow().status())
                .isEqualTo(ConversationStatus.RESOLVED);
        SlaDeadline kept = deadline(byEmail, SlaKind.FIRST_RESPONSE);
        assertThat(kept.startedAt()).isEqualTo(t0);
        assertThat(kept.dueAt()).isEqualTo(t0.plus(Duration.ofMinutes(10)));
        assertThat(kept.state()).isEqualTo(SlaState.RUNNING);
        assertThat(deadline(onTelegram, SlaKind.FIRST_RESPONSE).state()).isEqualTo(SlaState.MERGED);
        sla.evaluate(byEmail); // re-evaluating (as every later event does) keeps the carried start
        assertThat(deadline(byEmail, SlaKind.FIRST_RESPONSE).startedAt()).isEqualTo(t0);

        advanceAndRun(Duration.ofMinutes(4)); // t0 + 8 minutes: the warning
        advanceAndRun(Duration.ofMinutes(2)); // t0 + 10 minutes: the breach
        advanceAndRun(Duration.ofMinutes(10));
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + byEmail.value(),
                "SLA_BREACHED FIRST_RESPONSE " + byEmail.value());
        assertThat(sla.breached(10)).extracting(SlaDeadline::conversation).containsExactly(byEmail);

        inbox.reply(TenantId.DEFAULT, byEmail, Content.text("Sorry for the wait"), ReplyOptions.defaults());
        sla.evaluate(byEmail);
        assertThat(deadline(byEmail, SlaKind.FIRST_RESPONSE).state()).isEqualTo(SlaState.MET_LATE);
        assertThat(deadline(onTelegram, SlaKind.FIRST_RESPONSE).state()).isEqualTo(SlaState.MERGED);
    }

    @Test
    public void aWarningPublishedBeforeAPauseIsNotPublishedAgainWhenAMergeCarriesThatWait() throws Exception {
        start(tenMinutes("standard").pauseTags("waiting").build());
        ConversationId onTelegram = write(telegram, "pavel");
        advanceAndRun(Duration.ofMinutes(8)); // 09:08: the warning on Telegram
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + onTelegram.value());
        inbox.forTenant(TenantId.DEFAULT).tag(onTelegram, java.util.Set.of("waiting"));
        assertThat(deadline(onTelegram, SlaKind.FIRST_RESPONSE).state()).isEqualTo(SlaState.PAUSED);
        clock.advance(Duration.ofMinutes(1));
        ConversationId byEmail = write(email, "pavel@example.com"); // 09:09
        clock.advance(Duration.ofSeconds(30));

        inbox.merge(TenantId.DEFAULT, customerOf(telegram, "pavel"), customerOf(email, "pavel@example.com"),
                "agent-alice", "same person");
        // the kept clock counts from 09:00 (due 09:10); the wait's warning was published: not again
        SlaDeadline kept = deadline(byEmail, SlaKind.FIRST_RESPONSE);
        assertThat(kept.startedAt()).isEqualTo(MONDAY_NINE);
        assertThat(kept.warnAt()).isEmpty();
        advanceAndRun(Duration.ofSeconds(1));
        advanceAndRun(Duration.ofMinutes(1)); // 09:10:31: the breach
        advanceAndRun(Duration.ofMinutes(10));
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + onTelegram.value(),
                "SLA_BREACHED FIRST_RESPONSE " + byEmail.value());
    }

    @Test
    public void aBreachPublishedBeforeTheMergeIsNotPublishedAgainOnTheKeptConversation() throws Exception {
        start(tenMinutes("standard").build());
        Instant t0 = clock.instant();
        ConversationId onTelegram = write(telegram, "olga");
        advanceAndRun(Duration.ofMinutes(8));
        advanceAndRun(Duration.ofMinutes(3));
        assertSlaEvents("SLA_WARNING FIRST_RESPONSE " + onTelegram.value(),
                "SLA_BREACHED FIRST_RESPONSE " + onTelegram.value());
        ConversationId byEmail = write(email, "olga@example.com");
        clock.advance(Duration.ofMinutes(1));

        inbox.merge(TenantId.DEFAULT, customerOf(telegram, "olga"), customerOf(email, "olga@example.com"),
                "agent-alice", "same person");
        SlaDeadline kept = deadline(byEmail, SlaKind.FIRST_RESPONSE);
        assertThat(kept.startedAt()).isEqualTo(t0);
        assertThat(kept.state()).isEqualTo(SlaState.BREACHED);
        advanceAndRun(Duration.ofMinutes(30));
        assertThat(slaEvents()).hasSize(2);
        assertThat(deadline(onTelegram, SlaKind.FIRST_RESPONSE).state()).isEqualTo(SlaState.MERGED);
    }
}
