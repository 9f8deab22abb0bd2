package dev.switchboard.inbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.Lease;
import dev.switchboard.inbox.store.PostgresTestDatabase;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.store.TransactionWork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two inbox nodes on one PostgreSQL database, each with its own connection pool and its own instance of the same
 * channels (as two servers behind a load balancer): every outbox row is sent by exactly one node, a polling channel
 * runs on one node at a time and moves to the other when that node goes away, and events written on one node reach
 * listeners on both.
 */
@Tag("slow")
class TwoNodeClusterTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final Map<String, AtomicInteger> leaseAttempts = new ConcurrentHashMap<>();
    private String schema;

    @BeforeEach
    void database() {
        assumeDatabaseAvailable();
        schema = newSchema("cluster");
    }

    // The database both nodes share; MariaDbTwoNodeClusterTest runs the same tests on MariaDB.

    void assumeDatabaseAvailable() {
        PostgresTestDatabase.assumeAvailable();
    }

    String newSchema(String hint) {
        return PostgresTestDatabase.newSchema(hint);
    }

    void dropSchema(String name) {
        PostgresTestDatabase.dropSchema(name);
    }

    JdbcConnectionPool pool(int size) {
        return PostgresTestDatabase.pool(size);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        if (schema != null) {
            dropSchema(schema);
        }
    }

    private Inbox node(String id, FakeChannel... channels) {
        JdbcConnectionPool pool = pool(10);
        cleanup.add(pool::dispose);
        JdbcInboxStore store = JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
        cleanup.add(store);
        AtomicInteger attempts = leaseAttempts.computeIfAbsent(id, k -> new AtomicInteger());
        Inbox.Builder b = Inbox.builder().store(new CountingLeases(store, attempts)).nodeId(id)
                .leaseCheckInterval(Duration.ofMillis(200))
                .eventPollInterval(Duration.ofMillis(100))
                .outbox(OutboxSettings.builder().pollInterval(Duration.ofMillis(20)).build());
        for (FakeChannel c : channels) {
            b.channel(c);
        }
        Inbox inbox = b.build();
        cleanup.add(inbox);
        inbox.start();
        return inbox;
    }

    @Test
    void everyQueuedReplyIsSentByExactlyOneNode() throws Exception {
        // One fake platform shared by both nodes, so its message ids are unique and its sends are counted together.
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox a = node("node-a", tg);
        Inbox b = node("node-b", tg);
        for (int u = 0; u < 10; u++) {
            a.sink(TenantId.DEFAULT, tg.id()).deliver(tg.text("user-" + u, "hello"))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        List<Conversation> conversations = a.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items();
        assertThat(conversations).hasSize(10);
        int replies = 0;
        for (Conversation c : conversations) {
            for (int i = 0; i < 6; i++) {
                (i % 2 == 0 ? a : b).reply(c.id(), Content.text("reply " + i));
                replies++;
            }
        }
        int expected = replies;
        await().atMost(Duration.ofSeconds(60))
                .until(() -> tg.sent().size() >= expected && a.pendingOutboxCount() == 0);
        Map<String, Integer> sendsByKey = new HashMap<>();
        tg.attempts().forEach(s -> sendsByKey.merge(s.message().idempotencyKey(), 1, Integer::sum));
        assertThat(sendsByKey).hasSize(expected);
        assertThat(sendsByKey.values()).allMatch(n -> n == 1);
    }

    @Test
    void aPollingChannelRunsOnOneNodeAndMovesWhenThatNodeGoesAway() {
        Capabilities polling = Capabilities.builder().receiveMode(ReceiveMode.POLLING).build();
        FakeChannel pollA = FakeChannel.of(TenantId.DEFAULT, "poll", ChannelType.TELEGRAM, polling);
        FakeChannel pollB = FakeChannel.of(TenantId.DEFAULT, "poll", ChannelType.TELEGRAM, polling);
        Inbox a = node("node-a", pollA);
        Inbox b = node("node-b", pollB);
        await().atMost(Duration.ofSeconds(30)).until(() -> pollA.isRunning() || pollB.isRunning());
        FakeChannel holder = pollA.isRunning() ? pollA : pollB;
        FakeChannel other = holder == pollA ? pollB : pollA;
        // The other node's lease checks after this point must all fail. A check runs to its end (a start included)
        // before the next begins, so once three more attempts returned, at least two failed without a start.
        AtomicInteger otherAttempts = leaseAttempts.get(holder == pollA ? "node-b" : "node-a");
        int seen = otherAttempts.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> otherAttempts.get() >= seen + 3);
        assertThat(pollA.isRunning() ^ pollB.isRunning()).as("exactly one node runs the polling channel").isTrue();
        (holder == pollA ? a : b).close();
        await().atMost(Duration.ofSeconds(30)).until(other::isRunning);
        assertThat(holder.isRunning()).isFalse();
    }

    /** A node's store that counts its lease attempts; the test closes the store itself. */
    private static final class CountingLeases implements InboxStore {
        private final InboxStore store;
        private final AtomicInteger attempts;

        CountingLeases(InboxStore store, AtomicInteger attempts) {
            this.store = store;
            this.attempts = attempts;
        }

        @Override
        public <T> T inTransaction(TransactionWork<InboxTransaction, T> work) {
            return store.inTransaction(work);
        }

        @Override
        public Optional<Lease> tryAcquireLease(String name, String owner) {
            Optional<Lease> lease = store.tryAcquireLease(name, owner);
            attempts.incrementAndGet();
            return lease;
        }

        @Override
        public boolean isTransient(Throwable failure) {
            return store.isTransient(failure);
        }

        @Override
        public boolean sharesSendPacing() {
            return store.sharesSendPacing();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void eventsWrittenOnOneNodeReachListenersOnBoth() throws Exception {
        Set<String> seenByA = ConcurrentHashMap.newKeySet();
        Set<String> seenByB = ConcurrentHashMap.newKeySet();
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox a = node("node-a", tg);
        Inbox b = node("node-b", tg);
        a.addListener(e -> record(e, seenByA));
        b.addListener(e -> record(e, seenByB));
        a.sink(TenantId.DEFAULT, tg.id()).deliver(tg.text("user-a", "written on A"))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        b.sink(TenantId.DEFAULT, tg.id()).deliver(tg.text("user-b", "written on B"))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> seenByA.size() == 2 && seenByB.size() == 2);
        assertThat(seenByA).isEqualTo(seenByB);
    }

    private static void record(InboxEvent e, Set<String> seen) {
        if (e.type() == InboxEvent.Type.MESSAGE_RECEIVED) {
            seen.add(e.message().orElseThrow().value());
        }
    }
}
