package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.routing.Agent;
import dev.switchboard.inbox.routing.AgentStatus;
import dev.switchboard.inbox.routing.AssignOutcome;
import dev.switchboard.inbox.routing.Assignment;
import dev.switchboard.inbox.routing.AvailableAgents;
import dev.switchboard.inbox.routing.Presence;
import dev.switchboard.inbox.routing.QueuedConversation;
import dev.switchboard.inbox.routing.Router;
import dev.switchboard.inbox.routing.Routing;
import dev.switchboard.inbox.routing.RoutingSettings;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Routing (agents, presence, queues, the built-in routers, stickiness, the offline grace period, removal, a host
 * router), runnable against any {@link InboxStore}: a store vendor extends it and implements {@link #newStore()}. Time
 * is a {@link ManualClock}, so grace periods and waits are asserted without sleeping. The concurrent test
 * ({@link #nodesAssigningConcurrentlyNeverGoBeyondAnAgentsCapacity}, tagged {@code slow}) proves the store's
 * check-and-assign atomic across nodes. Test methods are public so subclasses in other packages inherit them.
 */
public abstract class RoutingContract {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A fresh, empty store; closed after the test. */
    protected abstract InboxStore newStore();

    /**
     * Another node's store over the same data as {@code first} (a second store object on the same database); the
     * in-memory store has no other node, so the default shares {@code first}. Closed after the test.
     */
    protected InboxStore anotherNode(InboxStore first) {
        return first;
    }

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    protected final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T09:00:00Z"));
    protected FakeChannel telegram;
    protected FakeChannel email;
    protected Inbox inbox;
    protected Routing routing;
    protected InboxStore store;

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** A started inbox over a fresh store with a Telegram and an email fake channel, routing as {@code settings}. */
    protected Routing start(RoutingSettings settings) {
        return start(settings, Duration.ZERO);
    }

    /** As {@link #start(RoutingSettings)}, reopening a conversation resolved less than {@code reopenWindow} ago. */
    protected Routing start(RoutingSettings settings, Duration reopenWindow) {
        store = newStore();
        cleanup.add(store);
        telegram = FakeChannel.of("tg", ChannelType.TELEGRAM);
        email = FakeChannel.of("mail", ChannelType.EMAIL);
        inbox = Inbox.builder().store(store).clock(clock).channel(telegram).channel(email).reopenWindow(reopenWindow)
                .eventPollInterval(Duration.ofMillis(50))
                .outbox(OutboxSettings.builder().pollInterval(Duration.ofMillis(20)).build())
                .build();
        cleanup.add(inbox);
        inbox.start();
        routing = inbox.forTenant(TenantId.DEFAULT).routing();
        routing.configure(settings);
        return routing;
    }

    /**
     * Settings for a test that routes each conversation itself ({@code routeInbound(false)}), so the order of
     * assignments is the test's, not the feed's.
     */
    protected static RoutingSettings.Builder settings() {
        return RoutingSettings.builder().routeInbound(false);
    }

    /** A customer writes on {@code channel}; returns their open conversation (the clock moves one second first). */
    protected ConversationId write(FakeChannel channel, String user) throws Exception {
        clock.advance(Duration.ofSeconds(1));
        done(channel.deliver(channel.text(user, "hello from " + user)));
        Customer customer = inbox.customerByAccount(channel.account(user).key()).orElseThrow();
        return inbox.conversations(ConversationQuery.builder(TenantId.DEFAULT).status(ConversationStatus.OPEN)
                        .limit(1000).build()).items().stream()
                .filter(c -> c.customer().equals(customer.id())).findFirst().orElseThrow().id();
    }

    /** Writes and routes at once (inbound messages also route by themselves, a moment later, on the feed). */
    protected Optional<String> writeAndRoute(FakeChannel channel, String user) throws Exception {
        return routing.route(write(channel, user));
    }

    protected AgentStatus online(Agent agent) {
        routing.register(agent);
        return routing.setPresence(agent.id(), Presence.ONLINE);
    }

    protected Optional<String> assignee(ConversationId id) {
        return inbox.conversation(TenantId.DEFAULT, id).flatMap(Conversation::assignee);
    }

    private static void done(CompletionStage<?> stage) throws Exception {
        stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    // ---- the store's view of agents with room -------------------------------------------------------------------

    private static AgentStatus status(String id, int capacity, Presence presence, Instant at) {
        return new AgentStatus(Agent.builder(id).capacity(capacity).build(), presence, at, Optional.empty());
    }

    private static AssignOutcome assignIn(InboxStore store, TenantId tenant, String conversation, String agent,
                                          ChannelType type, Instant at) {
        return store.inTransaction(tx -> tx.assignWithinCapacity(new Assignment(tenant, ConversationId.of(
                conversation), agent, type, at), 10, 10));
    }

    /** "agent: type=open ..." per available agent, by id. */
    private static List<String> available(InboxStore store, TenantId tenant) {
        AvailableAgents a = store.inTransaction(tx -> tx.availableAgents(tenant));
        return a.agents().stream().map(s -> s.id() + ":" + a.loads().stream().filter(l -> l.agent().equals(s.id()))
                .map(l -> " " + l.channelType().value() + "=" + l.open()).sorted()
                .collect(java.util.stream.Collectors.joining())).toList();
    }

    @Test
    public void availableAgentsAreTheOnlineOnesWithRoomAndTheirLoadsFollowAssignmentsPerTenant() {
        InboxStore store = newStore();
        cleanup.add(store);
        TenantId other = TenantId.of("other");
        Instant at = clock.instant();
        store.inTransaction(tx -> {
            tx.saveAgent(TenantId.DEFAULT, status("anna", 2, Presence.ONLINE, at));
            tx.saveAgent(TenantId.DEFAULT, status("boris", 1, Presence.ONLINE, at));
            tx.saveAgent(TenantId.DEFAULT, status("vera", 5, Presence.AWAY, at));
            tx.saveAgent(other, status("anna", 2, Presence.ONLINE, at));
            return null;
        });
        assertThat(assignIn(store, TenantId.DEFAULT, "c1", "anna", ChannelType.TELEGRAM, at))
                .isEqualTo(AssignOutcome.ASSIGNED);
        assertThat(available(store, TenantId.DEFAULT)).containsExactly("anna: telegram=1", "boris:");

        assertThat(assignIn(store, TenantId.DEFAULT, "c2", "boris", ChannelType.EMAIL, at))
                .isEqualTo(AssignOutcome.ASSIGNED);
        assertThat(assignIn(store, TenantId.DEFAULT, "c3", "anna", ChannelType.EMAIL, at))
                .isEqualTo(AssignOutcome.ASSIGNED);
        assertThat(available(store, TenantId.DEFAULT)).isEmpty();
        assertThat(available(store, other)).containsExactly("anna:");

        // a release frees the room; a settings update keeps the count (capacity 1 with one open: full)
        Optional<Assignment> released = store.inTransaction(tx -> tx.releaseAssignment(TenantId.DEFAULT,
                ConversationId.of("c1")));
        assertThat(released).isPresent();
        assertThat(available(store, TenantId.DEFAULT)).containsExactly("anna: email=1");
        store.inTransaction(tx -> {
            tx.saveAgent(TenantId.DEFAULT, status("anna", 1, Presence.ONLINE, at));
            return null;
        });
        assertThat(available(store, TenantId.DEFAULT)).isEmpty();
        store.inTransaction(tx -> {
            tx.saveAgent(TenantId.DEFAULT, status("anna", 3, Presence.ONLINE, at));
            return null;
        });
        assertThat(available(store, TenantId.DEFAULT)).containsExactly("anna: email=1");

        // a rolled-back assignment leaves the count as it was
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.assignWithinCapacity(new Assignment(TenantId.DEFAULT, ConversationId.of("c4"), "anna",
                    ChannelType.EMAIL, at), 10, 10);
            throw new IllegalStateException("roll back");
        })).isInstanceOf(RuntimeException.class);
        assertThat(available(store, TenantId.DEFAULT)).containsExactly("anna: email=1");
    }

    // ---- agents and presence ------------------------------------------------------------------------------------

    @Test
    public void agentOptionsAreCheckedNamingTheAgentAndTheOption() {
        assertThatThrownBy(() -> Agent.builder("anna").capacity(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent anna capacity")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> Agent.builder("anna").capacity(ChannelType.EMAIL, -2).build())
                .hasMessageContaining("agent anna capacity for email");
        assertThatThrownBy(() -> Agent.builder("anna").skills("bad,skill").build())
                .hasMessageContaining("agent anna skills");
        assertThatThrownBy(() -> Agent.builder(" ").build()).hasMessageContaining("agent id");
        assertThatThrownBy(() -> RoutingSettings.builder().offlineGrace(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("offlineGrace");
    }

    @Test
    public void agentsAndPresenceAreStoredAndEveryChangeIsAnEvent() {
        start(settings().build());
        routing.register(Agent.builder("anna").displayName("Anna").languages("ru", "en").skills("billing")
                .teams("support").capacity(4).capacity(ChannelType.EMAIL, 2).build());
        assertThatThrownBy(() -> routing.register(Agent.builder("anna").build()))
                .hasMessageContaining("agent anna is already registered");
        routing.setPresence("anna", Presence.ONLINE);
        clock.advance(Duration.ofMinutes(5));
        routing.setPresence("anna", Presence.AWAY);
        routing.update(routing.agent("anna").orElseThrow().agent().toBuilder().capacity(6).build());

        AgentStatus anna = routing.agent("anna").orElseThrow();
        assertThat(anna.presence()).isEqualTo(Presence.AWAY);
        assertThat(anna.presenceSince()).isEqualTo(clock.instant());
        assertThat(anna.agent().capacity()).isEqualTo(6);
        assertThat(anna.agent().capacityFor(ChannelType.EMAIL)).isEqualTo(2);
        assertThat(anna.agent().languages()).containsExactly("ru", "en");
        assertThat(routing.agents()).extracting(AgentStatus::id).containsExactly("anna");

        List<InboxEvent> agentEvents = inbox.events(0, 1000).stream()
                .filter(e -> e.type() == InboxEvent.Type.AGENT_UPDATED).toList();
        assertThat(agentEvents).extracting(e -> e.attribute(InboxEvent.Attribute.KIND).orElseThrow() + ":"
                        + e.attribute(InboxEvent.Attribute.PRESENCE).orElseThrow())
                .containsExactly("REGISTERED:OFFLINE", "PRESENCE:ONLINE", "PRESENCE:AWAY", "UPDATED:AWAY");
        assertThat(agentEvents).allSatisfy(e -> assertThat(e.attribute(InboxEvent.Attribute.AGENT)).hasValue("anna"));
        assertThatThrownBy(() -> routing.setPresence("nobody", Presence.ONLINE))
                .hasMessageContaining("no agent nobody");
    }

    // ---- policies -----------------------------------------------------------------------------------------------

    @Test
    public void leastBusyPicksTheAgentWithFewestOpenConversationsTiesByLongestIdle() throws Exception {
        start(settings().router(Router.leastBusy()).build());
        online(Agent.builder("anna").capacity(5).build());
        online(Agent.builder("boris").capacity(5).build());

        // both idle and never assigned: the tie goes by id; then each new conversation to the less busy one
        assertThat(writeAndRoute(telegram, "c1")).hasValue("anna");
        assertThat(writeAndRoute(telegram, "c2")).hasValue("boris");
        ConversationId third = write(telegram, "c3");
        assertThat(routing.route(third)).hasValue("anna");
        inbox.resolve(TenantId.DEFAULT, third);
        routing.sweep();
        // anna 1 open, boris 1 open: boris was assigned longer ago
        assertThat(writeAndRoute(email, "c4")).hasValue("boris");
        assertThat(routing.conversationsOf("boris")).hasSize(2);
        assertThat(routing.conversationsOf("anna")).hasSize(1);
        // the assignment is an event with who and why
        assertThat(inbox.events(0, 1000)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(InboxEvent.Type.CONVERSATION_UPDATED);
            assertThat(e.attribute(InboxEvent.Attribute.ASSIGNEE)).hasValue("boris");
            assertThat(e.attribute(InboxEvent.Attribute.REASON)).hasValue("least-busy");
        });
    }

    @Test
    public void roundRobinGivesOnlineAgentsTurnsAndSkipsOfflineAndAwayOnes() throws Exception {
        start(settings().router(Router.roundRobin()).build());
        online(Agent.builder("anna").capacity(10).build());
        online(Agent.builder("boris").capacity(10).build());
        online(Agent.builder("vera").capacity(10).build());
        routing.register(Agent.builder("gleb").capacity(10).build());
        routing.setPresence("vera", Presence.AWAY);

        List<String> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            got.add(writeAndRoute(telegram, "c" + i).orElseThrow());
        }
        assertThat(got).containsExactly("anna", "boris", "anna", "boris");
    }

    @Test
    public void skillsAreRequiredAndThePreferredLanguageRanksCandidates() throws Exception {
        start(settings().router(Router.skillsMatch())
                .requiredSkills(c -> c.channel().map(ch -> ch.value().equals("mail")).orElse(false)
                        ? Set.of("billing") : Set.of())
                .channelLanguage(dev.switchboard.model.ChannelId.of("tg"), "ru")
                .build());
        online(Agent.builder("anna").languages("en").skills("billing").capacity(5).build());
        online(Agent.builder("boris").languages("en", "ru").capacity(5).build());
        online(Agent.builder("vera").languages("ru").capacity(5).build());

        // Telegram customers speak Russian (the channel's language): vera, whose first language it is
        assertThat(writeAndRoute(telegram, "ivan")).hasValue("vera");
        // email needs billing: only anna has it, whatever the language
        assertThat(writeAndRoute(email, "bill")).hasValue("anna");
        assertThat(writeAndRoute(email, "bill2")).hasValue("anna");
        // vera busier now than boris, who also speaks Russian: language rank first, so still vera
        assertThat(writeAndRoute(telegram, "olga")).hasValue("vera");
        routing.setPresence("vera", Presence.AWAY);
        assertThat(writeAndRoute(telegram, "petr")).hasValue("boris");
        assertThat(routing.queue(10)).isEmpty();
    }

    @Test
    public void capacityIsRespectedOverallAndPerChannelTypeAndTheRestWaits() throws Exception {
        start(settings().router(Router.leastBusy()).build());
        online(Agent.builder("anna").capacity(3).capacity(ChannelType.EMAIL, 1).build());

        assertThat(writeAndRoute(email, "m1")).hasValue("anna");
        ConversationId secondMail = write(email, "m2");
        assertThat(routing.route(secondMail)).isEmpty();
        assertThat(writeAndRoute(telegram, "t1")).hasValue("anna");
        assertThat(writeAndRoute(telegram, "t2")).hasValue("anna");
        ConversationId fourthTelegram = write(telegram, "t3");
        assertThat(routing.route(fourthTelegram)).isEmpty();

        assertThat(routing.conversationsOf("anna")).hasSize(3);
        assertThat(routing.queue(10)).extracting(QueuedConversation::conversation)
                .containsExactly(secondMail, fourthTelegram);
        assertThat(routing.queue(10).get(0).waited(clock.instant())).isEqualTo(Duration.ofSeconds(3));
        assertThat(routing.assign(fourthTelegram, "anna")).isEqualTo(AssignOutcome.NO_CAPACITY);
    }

    @Test
    public void loadsCountEachAgentsOpenConversationsPerChannelTypeWithinTheTenant() throws Exception {
        start(settings().router(Router.leastBusy()).build());
        online(Agent.builder("anna").capacity(1).build());
        online(Agent.builder("boris").capacity(2).build());
        assertThat(routing.loads()).isEmpty();

        assertThat(writeAndRoute(email, "m1")).hasValue("anna");
        assertThat(writeAndRoute(telegram, "t1")).hasValue("boris");
        assertThat(writeAndRoute(telegram, "t2")).hasValue("boris");

        assertThat(routing.loads()).extracting(l -> l.agent() + " " + l.channelType().value() + " " + l.open())
                .containsExactlyInAnyOrder("anna email 1", "boris telegram 2");
        assertThat(inbox.forTenant(TenantId.of("other-shop")).routing().loads()).as("another tenant's loads")
                .isEmpty();
    }

    @Test
    public void whenCapacityFreesUpTheHighestPriorityThenLongestWaitingGoesFirst() throws Exception {
        start(settings().router(Router.leastBusy()).build());
        online(Agent.builder("anna").capacity(1).build());
        ConversationId busy = write(telegram, "first");
        assertThat(routing.route(busy)).hasValue("anna");
        ConversationId older = write(telegram, "older");
        ConversationId newer = write(telegram, "newer");
        ConversationId urgent = write(email, "urgent");
        inbox.setPriority(TenantId.DEFAULT, urgent, Priority.URGENT);
        routing.route(older);
        routing.route(newer);
        routing.route(urgent);
        // the queue keeps the priority a conversation had when it was queued: urgent was queued after the change
        assertThat(routing.queue(10)).extracting(QueuedConversation::conversation)
                .containsExactly(urgent, older, newer);

        inbox.resolve(TenantId.DEFAULT, busy);
        routing.sweep();
        assertThat(assignee(urgent)).hasValue("anna");
        inbox.resolve(TenantId.DEFAULT, urgent);
        routing.sweep();
        assertThat(assignee(older)).hasValue("anna");
        assertThat(assignee(newer)).isEmpty();
    }

    @Test
    public void manualRoutingLeavesConversationsInTheQueueForAgentsToTake() throws Exception {
        start(settings().router(Router.manual()).build());
        online(Agent.builder("anna").capacity(1).build());
        ConversationId a = write(telegram, "a");
        ConversationId b = write(telegram, "b");
        assertThat(routing.route(a)).isEmpty();
        assertThat(routing.route(b)).isEmpty();
        assertThat(routing.waitingCount()).isEqualTo(2);

        assertThat(routing.take("anna")).hasValue(a);
        assertThat(routing.take("anna")).isEmpty();
        assertThat(assignee(a)).hasValue("anna");
        assertThat(routing.queue(10)).extracting(QueuedConversation::conversation).containsExactly(b);
    }

    @Test
    public void queuesByTeamAreServedByTheirTeamWithTheirOwnRouter() throws Exception {
        start(settings().router(Router.manual()).router("vip", Router.leastBusy())
                .queue(c -> c.channel().map(ch -> ch.value().equals("mail")).orElse(false) ? "vip" : "default")
                .build());
        online(Agent.builder("anna").capacity(5).build());
        online(Agent.builder("boris").teams("vip").capacity(5).build());
        assertThat(writeAndRoute(email, "rich")).hasValue("boris");
        assertThat(writeAndRoute(telegram, "plain")).isEmpty();
        assertThat(routing.queue(10)).singleElement().satisfies(q -> assertThat(q.queue()).isEqualTo("default"));
    }

    @Test
    public void aHostRouterReplacesTheBuiltInOnesButCannotOverAssign() throws Exception {
        List<Integer> candidateCounts = new java.util.concurrent.CopyOnWriteArrayList<>();
        start(settings().router((conversation, candidates) -> {
            candidateCounts.add(candidates.size());
            return candidates.stream().map(c -> c.id()).filter(id -> id.startsWith("z")).findFirst();
        }).build());
        online(Agent.builder("anna").capacity(5).build());
        online(Agent.builder("zoe").capacity(1).build());
        assertThat(writeAndRoute(telegram, "c1")).hasValue("zoe");
        // zoe is full: she is no candidate any more, and the host router leaves the conversation waiting
        assertThat(writeAndRoute(telegram, "c2")).isEmpty();
        assertThat(candidateCounts).contains(2, 1);
    }

    // ---- stickiness, offline grace, removal ---------------------------------------------------------------------

    @Test
    public void aCustomerWhoWroteRecentlyGoesBackToTheSameAgentIfOnlineWithRoom() throws Exception {
        start(settings().router(Router.leastBusy()).stickyWindow(Duration.ofHours(1)).build());
        online(Agent.builder("anna").capacity(5).build());
        online(Agent.builder("boris").capacity(1).build());
        ConversationId first = write(telegram, "ivan");
        // the feed's own routing may have assigned it already (least busy, either agent): the agent action moves it
        // to boris whichever it found, so the test does not depend on which came first
        inbox.assign(TenantId.DEFAULT, first, "boris");
        assertThat(assignee(first)).hasValue("boris");
        inbox.resolve(TenantId.DEFAULT, first);
        routing.sweep();
        clock.advance(Duration.ofMinutes(10));
        // least busy would pick anna (never assigned); sticky sends ivan back to boris
        assertThat(writeAndRoute(telegram, "ivan")).hasValue("boris");

        // boris is full now: the next conversation of another of his customers goes to the queue's router instead
        ConversationId other = write(email, "olga");
        // refused whether or not the feed's routing already gave it to anna (then it stays hers)
        assertThatThrownBy(() -> inbox.assign(TenantId.DEFAULT, other, "boris"))
                .isInstanceOfSatisfying(dev.switchboard.inbox.routing.AssignmentRefusedException.class,
                        e -> assertThat(e.outcome()).isEqualTo(AssignOutcome.NO_CAPACITY));
        assertThat(routing.route(other)).hasValue("anna");
    }

    @Test
    public void anAgentGoingOfflineGetsTheirUnansweredConversationsReturnedAfterTheGracePeriod() throws Exception {
        start(settings().router(Router.leastBusy()).offlineGrace(Duration.ofMinutes(2)).build());
        online(Agent.builder("anna").capacity(5).build());
        ConversationId unanswered = write(telegram, "u1");
        ConversationId answered = write(telegram, "u2");
        assertThat(routing.route(unanswered)).hasValue("anna");
        assertThat(routing.route(answered)).hasValue("anna");
        inbox.reply(TenantId.DEFAULT, answered, Content.text("On it"), dev.switchboard.inbox.ReplyOptions.defaults());

        routing.setPresence("anna", Presence.OFFLINE);
        clock.advance(Duration.ofMinutes(1));
        routing.sweep();
        assertThat(assignee(unanswered)).hasValue("anna");

        // (every node also sweeps on its own schedule, so the test asserts the state, not who swept)
        clock.advance(Duration.ofMinutes(1));
        routing.sweep();
        assertThat(assignee(unanswered)).isEmpty();
        assertThat(assignee(answered)).hasValue("anna");
        assertThat(routing.queue(10)).singleElement().satisfies(q -> {
            assertThat(q.conversation()).isEqualTo(unanswered);
            // it keeps its wait: since the customer wrote, not since it came back
            assertThat(q.waited(clock.instant())).isGreaterThanOrEqualTo(Duration.ofMinutes(2));
        });

        online(Agent.builder("boris").capacity(5).build());
        assertThat(assignee(unanswered)).hasValue("boris");
    }

    @Test
    public void anAutomaticReplyIsNoAnswerSoTheConversationStillReturnsWhenTheAgentGoesOffline() throws Exception {
        start(settings().router(Router.leastBusy()).offlineGrace(Duration.ofMinutes(2)).build());
        online(Agent.builder("anna").capacity(5).build());
        ConversationId acknowledged = write(telegram, "u1");
        assertThat(routing.route(acknowledged)).hasValue("anna");
        // what an acknowledgement or a bot sends: automated, answering nobody
        inbox.reply(TenantId.DEFAULT, acknowledged, Content.text("We'll answer within 5 minutes."),
                dev.switchboard.inbox.ReplyOptions.defaults().automated(true));

        routing.setPresence("anna", Presence.OFFLINE);
        clock.advance(Duration.ofMinutes(2));
        routing.sweep();
        assertThat(assignee(acknowledged)).isEmpty();
        assertThat(routing.queue(10)).extracting(QueuedConversation::conversation).containsExactly(acknowledged);
    }

    @Test
    public void aRemovedAgentsOpenConversationsReturnToTheQueueAndNothingIsLost() throws Exception {
        start(settings().router(Router.leastBusy()).build());
        online(Agent.builder("anna").capacity(5).build());
        ConversationId a = write(telegram, "a");
        ConversationId b = write(email, "b");
        routing.route(a);
        routing.route(b);
        inbox.reply(TenantId.DEFAULT, b, Content.text("Answered"), dev.switchboard.inbox.ReplyOptions.defaults());

        assertThat(routing.remove("anna")).containsExactlyInAnyOrder(a, b);
        assertThat(routing.agents()).isEmpty();
        assertThat(routing.conversationsOf("anna")).isEmpty();
        assertThat(routing.queue(10)).extracting(QueuedConversation::conversation).containsExactly(a, b);
        assertThat(assignee(a)).isEmpty();
        assertThat(inbox.events(0, 1000)).anySatisfy(e -> {
            assertThat(e.attribute(InboxEvent.Attribute.KIND)).hasValue("REMOVED");
            assertThat(e.attribute(InboxEvent.Attribute.AGENT)).hasValue("anna");
        });

        online(Agent.builder("boris").capacity(5).build());
        assertThat(assignee(a)).hasValue("boris");
        assertThat(assignee(b)).hasValue("boris");
    }

    @Test
    public void anInboundMessageIsRoutedByItselfOnTheFeed() throws Exception {
        start(RoutingSettings.builder().router(Router.leastBusy()).build());
        online(Agent.builder("anna").capacity(5).build());
        ConversationId id = write(telegram, "self");
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(assignee(id)).hasValue("anna"));
        assertThat(routing.conversationsOf("anna")).extracting(Assignment::conversation).containsExactly(id);
        assertThat(routing.conversationsOf("anna").get(0).channelType()).isEqualTo(ChannelType.TELEGRAM);
    }

    // ---- every assignment path counts against capacity ----------------------------------------------------------

    @Test
    public void aConversationReopenedByTheCustomerGoesBackToItsAgentWhenOnlineWithRoomCountedAgainstCapacity()
            throws Exception {
        start(settings().router(Router.leastBusy()).build(), Duration.ofDays(1));
        online(Agent.builder("anna").capacity(1).build());
        online(Agent.builder("boris").capacity(5).build());
        ConversationId ivan = write(telegram, "ivan");
        assertThat(routing.route(ivan)).hasValue("anna");
        inbox.resolve(TenantId.DEFAULT, ivan);
        assertThat(routing.conversationsOf("anna")).isEmpty();

        // the customer writes again: the same conversation reopens and goes back to anna, counted against her
        assertThat(write(telegram, "ivan")).isEqualTo(ivan);
        assertThat(routing.route(ivan)).hasValue("anna");
        assertThat(routing.conversationsOf("anna")).extracting(Assignment::conversation).containsExactly(ivan);
        assertThat(inbox.events(0, 1000)).anySatisfy(e -> {
            assertThat(e.conversation()).hasValue(ivan);
            assertThat(e.attribute(InboxEvent.Attribute.ASSIGNEE)).hasValue("anna");
            assertThat(e.attribute(InboxEvent.Attribute.REASON)).hasValue("reopened");
        });
        // anna is full now: the next customer goes to boris
        assertThat(writeAndRoute(email, "olga")).hasValue("boris");
        assertThat(routing.queue(10)).isEmpty();
    }

    @Test
    public void aConversationReopenedWhileItsAgentIsFullOrOfflineWaitsInTheQueueAndNobodyGoesBeyondCapacity()
            throws Exception {
        start(settings().router(Router.leastBusy()).build(), Duration.ofDays(1));
        online(Agent.builder("anna").capacity(1).build());
        ConversationId ivan = write(telegram, "ivan");
        assertThat(routing.route(ivan)).hasValue("anna");
        inbox.resolve(TenantId.DEFAULT, ivan);
        ConversationId olga = write(telegram, "olga");
        assertThat(routing.route(olga)).hasValue("anna");

        // anna is full: ivan's reopened conversation leaves her and waits, with the wait of his new message
        assertThat(write(telegram, "ivan")).isEqualTo(ivan);
        Instant wrote = clock.instant();
        assertThat(routing.route(ivan)).isEmpty();
        assertThat(assignee(ivan)).isEmpty();
        assertThat(routing.conversationsOf("anna")).extracting(Assignment::conversation).containsExactly(olga);
        assertThat(routing.queue(10)).singleElement().satisfies(q -> {
            assertThat(q.conversation()).isEqualTo(ivan);
            assertThat(q.waitingSince()).isEqualTo(wrote);
        });

        // an offline former agent does not get it back either
        routing.setPresence("anna", Presence.OFFLINE); // first: her freed room would otherwise take ivan at once
        inbox.resolve(TenantId.DEFAULT, olga);
        assertThat(write(telegram, "olga")).isEqualTo(olga);
        assertThat(routing.route(olga)).isEmpty();
        assertThat(routing.queue(10)).extracting(QueuedConversation::conversation).containsExactly(ivan, olga);

        online(Agent.builder("boris").capacity(5).build());
        assertThat(assignee(ivan)).hasValue("boris");
        assertThat(assignee(olga)).hasValue("boris");
        assertThat(routing.conversationsOf("anna")).isEmpty();
    }

    @Test
    public void aConversationReopenedAfterItsAgentWasRemovedWaitsInTheQueueAndNothingIsLost() throws Exception {
        start(settings().router(Router.leastBusy()).build(), Duration.ofDays(1));
        online(Agent.builder("anna").capacity(5).build());
        ConversationId ivan = write(telegram, "ivan");
        assertThat(routing.route(ivan)).hasValue("anna");
        inbox.resolve(TenantId.DEFAULT, ivan);
        assertThat(routing.remove("anna")).isEmpty(); // she held nothing open

        assertThat(write(telegram, "ivan")).isEqualTo(ivan);
        assertThat(routing.route(ivan)).isEmpty();
        assertThat(assignee(ivan)).isEmpty();
        assertThat(routing.queue(10)).extracting(QueuedConversation::conversation).containsExactly(ivan);
        online(Agent.builder("boris").capacity(5).build());
        assertThat(assignee(ivan)).hasValue("boris");
    }

    @Test
    public void aMergeFreesTheFoldedConversationsAgentAndCountsTheCarriedAssigneeWithinCapacity() throws Exception {
        start(settings().router(Router.leastBusy()).build());
        online(Agent.builder("anna").capacity(1).build());
        ConversationId onTelegram = write(telegram, "ivan");
        assertThat(routing.route(onTelegram)).hasValue("anna");
        ConversationId byEmail = write(email, "ivan@example.com");
        assertThat(routing.route(byEmail)).isEmpty(); // anna is full

        inbox.merge(TenantId.DEFAULT, inbox.customerByAccount(telegram.account("ivan").key()).orElseThrow().id(),
                inbox.customerByAccount(email.account("ivan@example.com").key()).orElseThrow().id(), "agent-alice",
                "same person");
        // the newer conversation stays and carries anna over; the feed's reaction counts her for it, not twice
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            assertThat(routing.conversationsOf("anna")).extracting(Assignment::conversation)
                    .containsExactly(byEmail);
            assertThat(routing.queue(10)).isEmpty();
        });
        assertThat(assignee(byEmail)).hasValue("anna");
        assertThat(inbox.events(0, 1000)).anySatisfy(e -> {
            assertThat(e.conversation()).hasValue(byEmail);
            assertThat(e.attribute(InboxEvent.Attribute.REASON)).hasValue("merged");
            assertThat(e.attribute(InboxEvent.Attribute.SOURCE)).hasValue("routing");
        });
    }

    @Test
    public void aQueueOrSkillsFunctionThatFailsOrNamesNoValidQueueStillQueuesTheConversation() throws Exception {
        start(settings().router(Router.leastBusy())
                .queue(c -> c.channel().map(ch -> ch.value().equals("mail")).orElse(false) ? "no such queue!" : null)
                .requiredSkills(c -> {
                    throw new IllegalStateException("the host's lookup is down");
                }).build());
        ConversationId a = write(telegram, "a");
        ConversationId b = write(email, "b");
        assertThat(routing.route(a)).isEmpty();
        assertThat(routing.route(b)).isEmpty();
        assertThat(routing.queue(10)).allSatisfy(q -> {
            assertThat(q.queue()).isEqualTo(RoutingSettings.DEFAULT_QUEUE);
            assertThat(q.skills()).isEmpty();
        }).extracting(QueuedConversation::conversation).containsExactly(a, b);
        online(Agent.builder("anna").capacity(5).build());
        assertThat(assignee(a)).hasValue("anna");
        assertThat(assignee(b)).hasValue("anna");
    }

    @Test
    public void tenantInboxAssignCountsAgainstCapacityReplacesTheAssigneeAndRefusesBeyondCapacity() throws Exception {
        start(settings().router(Router.manual()).build());
        dev.switchboard.inbox.TenantInbox desk = inbox.forTenant(TenantId.DEFAULT);
        routing.register(Agent.builder("anna").capacity(1).build()); // offline: a supervisor may still choose her
        routing.register(Agent.builder("boris").capacity(1).build());
        ConversationId a = write(telegram, "a");
        ConversationId b = write(email, "b");
        routing.route(a);
        routing.route(b);

        assertThat(desk.assign(a, "anna").assignee()).hasValue("anna");
        assertThat(routing.conversationsOf("anna")).extracting(Assignment::conversation).containsExactly(a);
        assertThat(routing.queue(10)).extracting(QueuedConversation::conversation).containsExactly(b);
        assertThatThrownBy(() -> desk.assign(b, "anna"))
                .isInstanceOfSatisfying(dev.switchboard.inbox.routing.AssignmentRefusedException.class,
                        e -> assertThat(e.outcome()).isEqualTo(AssignOutcome.NO_CAPACITY))
                .hasMessageContaining("agent anna").hasMessageContaining(b.value());
        assertThatThrownBy(() -> desk.assign(b, "nobody"))
                .isInstanceOfSatisfying(dev.switchboard.inbox.routing.AssignmentRefusedException.class,
                        e -> assertThat(e.outcome()).isEqualTo(AssignOutcome.NO_AGENT))
                .hasMessageContaining("no agent nobody");
        assertThat(assignee(b)).isEmpty();
        assertThat(routing.queue(10)).extracting(QueuedConversation::conversation).containsExactly(b);

        // moving a to boris frees anna in the same transaction; then b fits her
        desk.assign(a, "boris");
        assertThat(routing.conversationsOf("anna")).isEmpty();
        assertThat(routing.conversationsOf("boris")).extracting(Assignment::conversation).containsExactly(a);
        // refused: boris is full, and a stays his (the refusal changed nothing)
        assertThatThrownBy(() -> desk.assign(b, "boris")).isInstanceOf(IllegalStateException.class);
        assertThat(desk.assign(b, "anna").assignee()).hasValue("anna");
        assertThat(desk.assign(b, "anna").assignee()).hasValue("anna"); // again: nothing changes
        assertThat(routing.conversationsOf("anna")).extracting(Assignment::conversation).containsExactly(b);

        // unassigning frees the capacity and the conversation waits again
        assertThat(desk.unassign(b).assignee()).isEmpty();
        assertThat(routing.conversationsOf("anna")).isEmpty();
        assertThat(routing.queue(10)).extracting(QueuedConversation::conversation).containsExactly(b);
        assertThatThrownBy(() -> desk.assign(ConversationId.of("missing"), "anna"))
                .isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    public void whenCapacityFreesUpAConversationDeepInALongQueueThatOnlyTheFreedAgentCanTakeIsAssigned()
            throws Exception {
        start(settings().router(Router.leastBusy()).build());
        online(Agent.builder("bob").capacity(1).build());
        ConversationId busy = write(telegram, "busy");
        assertThat(routing.route(busy)).hasValue("bob");
        // more than a page of conversations nobody online can take (they need french), then one anybody can
        int untakeable = 250;
        Instant t0 = clock.instant();
        ConversationId deep = ConversationId.of("deep");
        store.inTransaction(tx -> {
            for (int i = 0; i <= untakeable; i++) {
                ConversationId id = i < untakeable ? ConversationId.of("fr-" + i) : deep;
                dev.switchboard.model.CustomerId customer = dev.switchboard.model.CustomerId.of("customer-" + i);
                tx.saveConversation(Conversation.open(TenantId.DEFAULT, id, customer,
                        dev.switchboard.model.ChannelId.of("chat"), t0));
                tx.queueConversation(new QueuedConversation(TenantId.DEFAULT, id, customer,
                        RoutingSettings.DEFAULT_QUEUE, Priority.NORMAL, ChannelType.of("chat"), Optional.empty(),
                        i < untakeable ? Set.of("french") : Set.of(), t0.plusSeconds(i)));
            }
            return null;
        });
        assertThat(routing.queue(1000)).hasSize(untakeable + 1).last()
                .satisfies(q -> assertThat(q.conversation()).isEqualTo(deep));

        inbox.resolve(TenantId.DEFAULT, busy); // bob's capacity frees up
        assertThat(assignee(deep)).hasValue("bob");
        assertThat(routing.waitingCount()).isEqualTo(untakeable);
        // and an agent taking by hand finds it deep in the queue too
        routing.setPresence("bob", Presence.AWAY); // first, so no drain gives it back before bob takes it
        inbox.forTenant(TenantId.DEFAULT).unassign(deep);
        assertThat(routing.take("bob")).hasValue(deep);
        assertThat(routing.conversationsOf("bob")).extracting(Assignment::conversation).containsExactly(deep);
    }

    @Test
    public void theQueueReadsPageByPageInServiceOrderAndNeverAcrossTenants() {
        start(settings().router(Router.manual()).build());
        TenantId other = TenantId.of("other");
        Instant t0 = clock.instant();
        store.inTransaction(tx -> {
            for (int i = 0; i < 7; i++) {
                for (TenantId tenant : List.of(TenantId.DEFAULT, other)) {
                    tx.queueConversation(new QueuedConversation(tenant, ConversationId.of("q-" + i),
                            dev.switchboard.model.CustomerId.of("c-" + i), RoutingSettings.DEFAULT_QUEUE,
                            i == 5 ? Priority.HIGH : Priority.NORMAL, ChannelType.TELEGRAM, Optional.empty(),
                            Set.of(), t0.plusSeconds(i % 3)));
                }
            }
            return null;
        });
        List<String> paged = new ArrayList<>();
        List<QueuedConversation> page = store.inTransaction(tx -> tx.waiting(TenantId.DEFAULT, 3));
        while (!page.isEmpty()) {
            page.forEach(q -> {
                assertThat(q.tenant()).isEqualTo(TenantId.DEFAULT);
                paged.add(q.conversation().value());
            });
            QueuedConversation last = page.get(page.size() - 1);
            page = store.inTransaction(tx -> tx.waitingAfter(TenantId.DEFAULT, last, 3));
        }
        // priority first, then wait, then id
        assertThat(paged).containsExactly("q-5", "q-0", "q-3", "q-6", "q-1", "q-4", "q-2");
        List<QueuedConversation> all = store.inTransaction(tx -> tx.waiting(TenantId.DEFAULT, 100));
        assertThat(all).extracting(q -> q.conversation().value()).containsExactlyElementsOf(paged);
    }

    // ---- race-safe assignment across nodes ----------------------------------------------------------------------

    /** Multi-node, so in the slow tier ({@code -Pslow}). */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    public void nodesAssigningConcurrentlyNeverGoBeyondAnAgentsCapacity() throws Exception {
        int nodes = 4;
        int threadsPerNode = 3;
        int agents = 6;
        int capacity = 3;
        int conversations = 90;
        InboxStore first = newStore();
        cleanup.add(first);
        List<Routing> routings = new ArrayList<>();
        List<dev.switchboard.inbox.TenantInbox> desks = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            InboxStore store = n == 0 ? first : anotherNode(first);
            if (store != first) {
                cleanup.add(store);
            }
            Inbox node = Inbox.builder().store(store).clock(clock).nodeId("node-" + n).build();
            cleanup.add(node);
            Routing r = node.forTenant(TenantId.DEFAULT).routing();
            r.configure(settings().router(Router.leastBusy()).build());
            routings.add(r);
            desks.add(node.forTenant(TenantId.DEFAULT));
        }
        Routing admin = routings.get(0);
        List<String> agentIds = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            agentIds.add("agent-" + a);
            admin.register(Agent.builder("agent-" + a).capacity(capacity).build());
        }
        List<ConversationId> ids = new ArrayList<>();
        // and a third as many that look reopened: an assignee who holds no assignment (the resolution freed them),
        // never queued, so only routing them (which settles that assignee within capacity, or queues them) moves them
        List<ConversationId> all = new ArrayList<>();
        first.inTransaction(tx -> {
            for (int i = 0; i < conversations; i++) {
                ConversationId id = ConversationId.of("race-" + i);
                tx.saveConversation(Conversation.open(TenantId.DEFAULT, id, dev.switchboard.model.CustomerId.of(
                        "customer-" + i), dev.switchboard.model.ChannelId.of("chat"), clock.instant()));
                ids.add(id);
            }
            for (int i = 0; i < conversations / 3; i++) {
                ConversationId id = ConversationId.of("reopened-" + i);
                tx.saveConversation(Conversation.open(TenantId.DEFAULT, id, dev.switchboard.model.CustomerId.of(
                        "reopening-" + i), dev.switchboard.model.ChannelId.of("chat"), clock.instant())
                        .withAssignee(agentIds.get(i % agents), clock.instant()));
                all.add(id);
            }
            return null;
        });
        all.addAll(ids);
        for (String a : agentIds) {
            admin.setPresence(a, Presence.ONLINE);
        }

        int threads = nodes * threadsPerNode;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            // first, rounds in which every thread of every node assigns its own conversation to the same agent at
            // once; between rounds the agent's load is checked and handed back
            int rounds = conversations / threads;
            List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.CyclicBarrier roundEnd = new java.util.concurrent.CyclicBarrier(threads, () -> {
                for (String a : agentIds) {
                    List<Assignment> held = admin.conversationsOf(a);
                    if (held.size() > capacity) {
                        violations.add(a + " holds " + held.size());
                    }
                    held.forEach(h -> admin.handBack(h.conversation()));
                }
            });
            java.util.concurrent.CyclicBarrier roundStart = new java.util.concurrent.CyclicBarrier(threads);
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Routing r = routings.get(t % nodes);
                running.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        roundStart.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                        r.assign(ids.get(round * threads + thread), agentIds.get(round % agents));
                        roundEnd.await(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : running) {
                f.get(WAIT.toSeconds() * 6, TimeUnit.SECONDS);
            }
            assertThat(violations).as("agents beyond capacity after a round").isEmpty();


            // then every thread tries every conversation, by choosing an agent (routing's assign, or the inbox's,
            // which moves a conversation between agents), or by routing (racing drains and reopened assignees), all
            // starting together
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
            running.clear();
            for (int t = 0; t < threads; t++) {
                Routing r = routings.get(t % nodes);
                dev.switchboard.inbox.TenantInbox desk = desks.get(t % nodes);
                java.util.Random random = new java.util.Random(42 + t);
                List<ConversationId> order = new ArrayList<>(all);
                Collections.shuffle(order, random);
                running.add(pool.submit(() -> {
                    start.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    for (ConversationId id : order) {
                        switch (random.nextInt(3)) {
                            case 0 -> r.assign(id, agentIds.get(random.nextInt(agents)));
                            case 1 -> {
                                try {
                                    desk.assign(id, agentIds.get(random.nextInt(agents)));
                                } catch (dev.switchboard.inbox.routing.AssignmentRefusedException refused) {
                                    // full, or another thread got it first: the rule held
                                }
                            }
                            default -> r.route(id);
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : running) {
                f.get(WAIT.toSeconds() * 6, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // whatever the last moves freed is taken, and an assignee no thread routed is settled
        all.forEach(admin::route);
        admin.assignWaiting();

        int assigned = 0;
        for (String a : agentIds) {
            List<Assignment> held = admin.conversationsOf(a);
            assertThat(held).as("conversations of %s", a).hasSizeLessThanOrEqualTo(capacity);
            long marked = all.stream().filter(id -> first.inTransaction(tx -> tx.conversation(TenantId.DEFAULT, id))
                    .flatMap(Conversation::assignee).filter(a::equals).isPresent()).count();
            assertThat(marked).as("conversations showing %s as assignee", a).isEqualTo(held.size());
            assigned += held.size();
        }
        assertThat(assigned).as("every slot taken").isEqualTo(agents * capacity);
        assertThat(admin.waitingCount()).as("nothing lost").isEqualTo(all.size() - assigned);
    }
}
