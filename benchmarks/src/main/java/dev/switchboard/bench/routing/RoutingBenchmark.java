package dev.switchboard.bench.routing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.routing.Agent;
import dev.switchboard.inbox.routing.AgentLoad;
import dev.switchboard.inbox.routing.AssignOutcome;
import dev.switchboard.inbox.routing.Assignment;
import dev.switchboard.inbox.routing.Presence;
import dev.switchboard.inbox.routing.QueuedConversation;
import dev.switchboard.inbox.routing.Routing;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Priority;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Routing's two benchmark questions. (1) The assignment decision with {@code waiting} conversations in the queue and
 * {@code agents} online agents, all full: the customers write through the inbox's ingest (two channels, one in three
 * by email) and each conversation is routed with {@code TenantInbox.routing().route}, which fills the agents and
 * queues the rest; then each step frees one slot (an agent finishes a conversation, released in the store so that no
 * routing reacts) and times {@code Routing.assignWaiting()}, which reads the agents with room and their loads and the
 * head of the queue, lets the router choose and assigns atomically; the baseline of the same run is the bare atomic
 * assignment transaction of the head conversation (no routing decision), timed on alternate steps. In-memory and
 * PostgreSQL. (2) A drain of
 * {@code drain} queued conversations by two inbox instances (two stores with their own pools) on one PostgreSQL
 * schema, agents finishing conversations as they go; before reporting, the event feed is replayed to check that no
 * agent ever held more than their capacity and that every conversation was assigned exactly once.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.routing.RoutingBenchmark
 * [waiting=10000] [agents=500] [steps=1000] [drain=10000] [jdbcUrl=jdbc:postgresql://127.0.0.1:5432/switchboard_test]
 * [user=postgres]}; {@code jdbcUrl=none} runs the in-memory part only.
 */
public final class RoutingBenchmark {
    private static final TenantId T = TenantId.DEFAULT;
    private static final int CAPACITY = 4;

    private RoutingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int waiting = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int agents = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int drain = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        String url = args.length > 4 ? args[4] : "jdbc:postgresql://127.0.0.1:5432/switchboard_test";
        String user = args.length > 5 ? args[5] : "postgres";
        System.out.println("load before: " + load());
        try (InMemoryInboxStore memory = new InMemoryInboxStore()) {
            decisions("in-memory", memory, waiting, agents, steps);
        }
        if (url.equals("none")) {
            System.out.println("load after: " + load());
            return;
        }
        String schema = "bench_routing_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (HikariDataSource pool = pool(url, user, 8); HikariDataSource second = pool(url, user, 8)) {
            try (JdbcInboxStore pg = JdbcInboxStore.builder().dataSource(pool).schema(schema).build()) {
                decisions("PostgreSQL", pg, waiting, agents, steps);
            }
            drainTwoNodes(pool, second, schema + "_drain", drain);
        } finally {
            dropSchemas(url, user, schema, schema + "_drain");
        }
        System.out.println("load after: " + load());
    }

    // ---- (1) the decision ---------------------------------------------------------------------------------------

    private static void decisions(String label, InboxStore store, int waiting, int agentCount, int steps)
            throws Exception {
        BenchChannel chat = new BenchChannel("chat", ChannelType.TELEGRAM);
        BenchChannel mail = new BenchChannel("mail", ChannelType.EMAIL);
        try (Inbox inbox = Inbox.builder().store(store).nodeId("bench").channel(chat).channel(mail)
                .ingestThreads(4).ingestBatchSize(100).build()) {
            inbox.start();
            // the default settings (least busy), not configured: no feed listener or sweep of this node assigns
            // behind the timed calls' backs; each conversation is routed by the host's own route call
            Routing routing = inbox.forTenant(T).routing();
            List<String> agents = register(routing, agentCount);
            int total = waiting + agentCount * CAPACITY;
            long t0 = System.nanoTime();
            ingest(inbox, chat, mail, total);
            routeAll(routing, conversations(inbox, total));
            awaitRouted(routing, store, waiting, agentCount * CAPACITY);
            System.out.printf("%s: %d customers wrote, routed: %d assignments (every agent full), %d waiting, in"
                            + " %.1f s%n", label, total, agentCount * CAPACITY, routing.waitingCount(),
                    (System.nanoTime() - t0) / 1e9);
            long[] decision = new long[steps / 2];
            long[] baseline = new long[steps / 2];
            // the calling thread's CPU time too: on a loaded machine the wall-clock tail is mostly waiting for a core
            long[] decisionCpu = new long[steps / 2];
            long[] baselineCpu = new long[steps / 2];
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = 0; i < steps; i++) {
                String agent = agents.get(i % agents.size());
                if (!finishOldest(store, agent)) {
                    throw new IllegalStateException(agent + " held nothing to finish");
                }
                long cpu = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                if (i % 2 == 0) {
                    int n = routing.assignWaiting();
                    decision[i / 2] = System.nanoTime() - start;
                    decisionCpu[i / 2] = threads.getCurrentThreadCpuTime() - cpu;
                    if (n != 1) {
                        throw new IllegalStateException("a freed slot assigned " + n);
                    }
                } else {
                    if (bareAssign(store, agent) != AssignOutcome.ASSIGNED) {
                        throw new IllegalStateException("the baseline did not assign");
                    }
                    baseline[i / 2] = System.nanoTime() - start;
                    baselineCpu[i / 2] = threads.getCurrentThreadCpuTime() - cpu;
                }
            }
            verifyWithinCapacity(store, agentCount * CAPACITY);
            long left = routing.waitingCount();
            if (left != waiting - steps) {
                throw new IllegalStateException("expected " + (waiting - steps) + " waiting, found " + left);
            }
            Arrays.sort(decision);
            Arrays.sort(baseline);
            Arrays.sort(decisionCpu);
            Arrays.sort(baselineCpu);
            System.out.printf("%s calling thread's CPU per call: decision p50 %.2f ms, p99 %.2f ms; bare atomic assign"
                            + " p50 %.2f ms, p99 %.2f ms%n", label, ms(pct(decisionCpu, 50)), ms(pct(decisionCpu, 99)),
                    ms(pct(baselineCpu, 50)), ms(pct(baselineCpu, 99)));
            System.out.printf("%s decision (%d waiting, %d online agents), load %s: p50 %.2f ms, p99 %.2f ms; bare"
                            + " atomic assign p50 %.2f ms, p99 %.2f ms; p99 ratio %.2fx (verified: every agent at"
                            + " capacity %d, none beyond; %d still waiting)%n", label, waiting, agentCount, load(),
                    ms(pct(decision, 50)), ms(pct(decision, 99)), ms(pct(baseline, 50)), ms(pct(baseline, 99)),
                    (double) pct(decision, 99) / pct(baseline, 99), CAPACITY, left);
        }
    }

    /** {@code count} customers write one message each through the inbox's ingest, one in three by mail. */
    private static void ingest(Inbox inbox, BenchChannel chat, BenchChannel mail, int count) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        InboundSink chatSink = inbox.sink(T, chat.id());
        InboundSink mailSink = inbox.sink(T, mail.id());
        Semaphore inFlight = new Semaphore(512);
        AtomicLong failed = new AtomicLong();
        Instant sent = Instant.parse("2026-03-02T09:00:00Z");
        for (int i = 0; i < count; i++) {
            BenchChannel channel = i % 3 == 0 ? mail : chat;
            ChannelAccount account = ChannelAccount.of(T, channel.id(), run + "-u" + i,
                    Profile.named("Customer " + i));
            inFlight.acquire();
            (i % 3 == 0 ? mailSink : chatSink).deliver(InboundEvent.MessageReceived.of(run + "-e" + i, account,
                    sent.plusMillis(i), run + "-p" + i, Content.text("hello " + i))).whenComplete((ok, e) -> {
                        if (e != null && failed.getAndIncrement() == 0) {
                            e.printStackTrace();
                        }
                        inFlight.release();
                    });
        }
        inFlight.acquire(512);
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " deliveries failed");
        }
    }

    /** Routes every conversation with the host's {@code route} call, from eight threads (setup, not measured). */
    private static void routeAll(Routing routing, List<ConversationId> conversations) throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int p = 0; p < threads; p++) {
                int part = p;
                parts.add(pool.submit(() -> {
                    for (int i = part; i < conversations.size(); i += threads) {
                        routing.route(conversations.get(i));
                    }
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Each customer's conversation, in the order they wrote, from the feed's {@code MESSAGE_RECEIVED} events. */
    private static List<ConversationId> conversations(Inbox inbox, int expected) {
        java.util.LinkedHashSet<ConversationId> out = new java.util.LinkedHashSet<>();
        long cursor = 0;
        while (true) {
            List<InboxEvent> page = inbox.events(T, cursor, 1000);
            if (page.isEmpty()) {
                break;
            }
            for (InboxEvent e : page) {
                cursor = e.seq();
                if (e.type() == InboxEvent.Type.MESSAGE_RECEIVED) {
                    out.add(e.conversation().orElseThrow());
                }
            }
        }
        if (out.size() != expected) {
            throw new IllegalStateException("expected " + expected + " conversations, the feed has " + out.size());
        }
        return new ArrayList<>(out);
    }

    /** Waits until the inbox's routing (on its feed) has queued every conversation and filled every agent. */
    private static void awaitRouted(Routing routing, InboxStore store, int waiting, int assigned) {
        long until = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            long queued = routing.waitingCount();
            int held = store.inTransaction(tx -> tx.agentLoads(T)).stream().mapToInt(AgentLoad::open).sum();
            if (queued == waiting && held == assigned) {
                return;
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("routing stopped at " + held + " assigned, " + queued + " waiting");
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    private static List<String> register(Routing routing, int count) {
        List<String> ids = new ArrayList<>();
        for (int a = 0; a < count; a++) {
            String id = String.format("agent-%04d", a);
            routing.register(Agent.builder(id).languages(a % 2 == 0 ? "ru" : "en").capacity(CAPACITY).build());
            routing.setPresence(id, Presence.ONLINE);
            ids.add(id);
        }
        return ids;
    }

    /** Stores {@code count} open conversations and queues them, one millisecond of wait apart, in batches. */
    private static void queue(InboxStore store, int count, int offset) {
        Instant base = Instant.parse("2026-03-02T09:00:00Z");
        for (int from = 0; from < count; from += 500) {
            int start = from;
            store.inTransaction(tx -> {
                for (int i = start; i < Math.min(count, start + 500); i++) {
                    ConversationId id = ConversationId.of("c-" + (offset + i));
                    CustomerId customer = CustomerId.of("u-" + (offset + i));
                    tx.saveConversation(Conversation.open(T, id, customer, ChannelId.of("tg"), base));
                    tx.queueConversation(new QueuedConversation(T, id, customer, "default",
                            i % 50 == 0 ? Priority.HIGH : Priority.NORMAL, i % 3 == 0 ? ChannelType.EMAIL
                            : ChannelType.TELEGRAM, Optional.of(i % 2 == 0 ? "ru" : "en"), Set.of(),
                            base.plusMillis(i)));
                }
                return null;
            });
        }
    }

    /** An agent finishes their oldest conversation: released and resolved in one transaction, with its event. */
    private static boolean finishOldest(InboxStore store, String agent) {
        return store.inTransaction(tx -> {
            List<Assignment> held = tx.assignments(T, agent);
            if (held.isEmpty()) {
                return false;
            }
            return finish(tx, held.get(0).conversation());
        });
    }

    private static boolean finish(dev.switchboard.inbox.spi.InboxTransaction tx, ConversationId id) {
        if (tx.releaseAssignment(T, id).isEmpty()) {
            return false;
        }
        Conversation c = tx.conversation(T, id).orElseThrow().withStatus(ConversationStatus.RESOLVED, Instant.now());
        tx.saveConversation(c);
        tx.appendEvent(new InboxEvent(0, T, InboxEvent.Type.CONVERSATION_RESOLVED, Optional.of(id), Optional.empty(),
                Optional.of(c.customer()), Map.of(InboxEvent.Attribute.REASON, "bench"), Instant.now()));
        return true;
    }

    /** The baseline: the head of the queue assigned to a given agent with the store's atomic check, no routing. */
    private static AssignOutcome bareAssign(InboxStore store, String agent) {
        return store.inTransaction(tx -> {
            QueuedConversation head = tx.waiting(T, 1).get(0);
            Instant now = Instant.now();
            AssignOutcome outcome = tx.assignWithinCapacity(new Assignment(T, head.conversation(), agent,
                    head.channelType(), now), CAPACITY, CAPACITY);
            if (outcome == AssignOutcome.ASSIGNED) {
                Conversation c = tx.conversation(T, head.conversation()).orElseThrow().withAssignee(agent, now);
                tx.saveConversation(c);
                tx.appendEvent(new InboxEvent(0, T, InboxEvent.Type.CONVERSATION_UPDATED, Optional.of(c.id()),
                        Optional.empty(), Optional.of(c.customer()), Map.of(InboxEvent.Attribute.ASSIGNEE, agent),
                        now));
            }
            return outcome;
        });
    }

    private static void verifyWithinCapacity(InboxStore store, int expectedTotal) {
        List<AgentLoad> loads = store.inTransaction(tx -> tx.agentLoads(T));
        Map<String, Integer> perAgent = new HashMap<>();
        loads.forEach(l -> perAgent.merge(l.agent(), l.open(), Integer::sum));
        perAgent.forEach((agent, open) -> {
            if (open > CAPACITY) {
                throw new IllegalStateException(agent + " holds " + open);
            }
        });
        int total = perAgent.values().stream().mapToInt(Integer::intValue).sum();
        if (total != expectedTotal) {
            throw new IllegalStateException("expected " + expectedTotal + " assignments, found " + total);
        }
    }

    // ---- (2) the two-node drain ---------------------------------------------------------------------------------

    private static void drainTwoNodes(HikariDataSource first, HikariDataSource second, String schema, int count)
            throws Exception {
        int agentCount = 100;
        try (JdbcInboxStore a = JdbcInboxStore.builder().dataSource(first).schema(schema).build();
             JdbcInboxStore b = JdbcInboxStore.builder().dataSource(second).schema(schema).autoMigrate(false)
                     .build()) {
            Inbox nodeA = Inbox.builder().store(a).nodeId("node-a").build();
            Inbox nodeB = Inbox.builder().store(b).nodeId("node-b").build();
            List<String> agents = register(nodeA.forTenant(T).routing(), agentCount);
            queue(a, count, 1_000_000);
            long seqBefore = a.inTransaction(tx -> tx.lastEventSeq());
            int threadsPerNode = 2;
            ExecutorService pool = Executors.newFixedThreadPool(threadsPerNode * 2);
            AtomicLong finished = new AtomicLong();
            long t0 = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threadsPerNode * 2; t++) {
                InboxStore store = t % 2 == 0 ? a : b;
                Routing routing = (t % 2 == 0 ? nodeA : nodeB).forTenant(T).routing();
                Random random = new Random(7 + t);
                running.add(pool.submit(() -> {
                    while (finished.get() < count) {
                        routing.assignWaiting();
                        for (int k = 0; k < 8; k++) {
                            if (finishOldest(store, agents.get(random.nextInt(agents.size())))) {
                                finished.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            Replay replay = replay(a, seqBefore);
            if (replay.assigned != count || replay.resolved != count || replay.maxLoad > CAPACITY
                    || nodeA.forTenant(T).routing().waitingCount() != 0) {
                throw new IllegalStateException("drain check failed: " + replay);
            }
            System.out.printf("PostgreSQL drain, two nodes x %d threads, %d agents x capacity %d: %d conversations"
                            + " in %.1f s = %.0f/s; verified from the feed: each assigned once, max load %d <= %d,"
                            + " over-capacity assignments 0%n", threadsPerNode, agentCount, CAPACITY, count, seconds,
                    count / seconds, replay.maxLoad, CAPACITY);
        }
    }

    private record Replay(int assigned, int resolved, int maxLoad) {
    }

    /** Replays the feed in commit order: +1 per assignment, -1 per resolution, per agent. */
    private static Replay replay(InboxStore store, long after) {
        Map<String, String> agentOf = new HashMap<>();
        Map<String, Integer> load = new HashMap<>();
        int assigned = 0;
        int resolved = 0;
        int max = 0;
        long cursor = after;
        while (true) {
            long from = cursor;
            List<InboxEvent> page = store.inTransaction(tx -> tx.events(Optional.of(T), from, 1000));
            if (page.isEmpty()) {
                return new Replay(assigned, resolved, max);
            }
            for (InboxEvent e : page) {
                cursor = e.seq();
                String conversation = e.conversation().map(ConversationId::value).orElse("");
                Optional<String> assignee = e.attribute(InboxEvent.Attribute.ASSIGNEE).filter(s -> !s.isEmpty());
                if (e.type() == InboxEvent.Type.CONVERSATION_UPDATED && assignee.isPresent()) {
                    if (agentOf.put(conversation, assignee.get()) != null) {
                        throw new IllegalStateException(conversation + " assigned twice");
                    }
                    assigned++;
                    max = Math.max(max, load.merge(assignee.get(), 1, Integer::sum));
                } else if (e.type() == InboxEvent.Type.CONVERSATION_RESOLVED) {
                    resolved++;
                    load.merge(agentOf.get(conversation), -1, Integer::sum);
                }
            }
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private static HikariDataSource pool(String url, String user, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    private static void dropSchemas(String url, String user, String... schemas) {
        try (HikariDataSource ds = pool(url, user, 1); Connection c = ds.getConnection();
             Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
        } catch (Exception e) {
            System.err.println("could not drop the benchmark schemas: " + e);
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** A webhook-style channel of a given type that only receives. */
    static final class BenchChannel implements Channel {
        private final ChannelId id;
        private final ChannelType type;

        BenchChannel(String id, ChannelType type) {
            this.id = ChannelId.of(id);
            this.type = type;
        }

        @Override
        public ChannelId id() {
            return id;
        }

        @Override
        public ChannelType type() {
            return type;
        }

        @Override
        public TenantId tenant() {
            return T;
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.builder().build();
        }

        @Override
        public CompletionStage<Void> start(InboundSink sink) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<SendReceipt> send(OutboundMessage message) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("the bench channel does not send"));
        }

        @Override
        public CompletionStage<Void> stop() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
