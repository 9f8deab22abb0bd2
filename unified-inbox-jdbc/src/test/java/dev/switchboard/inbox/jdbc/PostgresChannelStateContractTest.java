package dev.switchboard.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.LogEntry;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.inbox.StoreChannelState;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.ChannelStateContract;
import dev.switchboard.inbox.store.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The channel-state contract on PostgreSQL, in a fresh schema for this class, emptied before each test. */
class PostgresChannelStateContractTest extends ChannelStateContract {
    private static JdbcConnectionPool pool;
    private static String schema;

    @Override
    protected InboxStore createStore() throws Exception {
        PostgresTestDatabase.assumeAvailable();
        if (pool == null) {
            pool = PostgresTestDatabase.pool(12);
            schema = PostgresTestDatabase.newSchema("chstate");
            return JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
        }
        TestSchemas.truncateAll(pool, schema);
        return JdbcInboxStore.builder().dataSource(pool).schema(schema).autoMigrate(false).build();
    }

    @AfterAll
    static void dropSchema() {
        if (pool != null) {
            pool.dispose();
            pool = null;
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Test
    void anAppendOnOneNodeWakesTheWatchersOfThatLogOnAnotherThroughListenNotify() throws Exception {
        try (JdbcInboxStore otherNode = JdbcInboxStore.builder().dataSource(pool).schema(schema).autoMigrate(false)
                .build()) {
            ChannelState here = StoreChannelState.of(store, A, TG, Clock.systemUTC());
            ChannelState there = StoreChannelState.of(otherNode, A, TG, Clock.systemUTC());
            Semaphore woken = new Semaphore(0);
            Semaphore otherLog = new Semaphore(0);
            ChannelState.Watch watch = there.watch("history", woken::release).orElseThrow();
            there.watch("other", otherLog::release).orElseThrow();
            awaitListening(1);
            // once listening, every watcher is called once (appends before LISTEN took effect were not announced)
            assertThat(woken.tryAcquire(30, TimeUnit.SECONDS)).as("called when listening starts").isTrue();
            assertThat(otherLog.tryAcquire(30, TimeUnit.SECONDS)).as("called when listening starts").isTrue();

            here.append("history", "one").toCompletableFuture().join();
            assertThat(woken.tryAcquire(30, TimeUnit.SECONDS)).as("woken by the other node's append").isTrue();
            here.append("other", "x").toCompletableFuture().join();
            assertThat(otherLog.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
            assertThat(woken.availablePermits()).as("only the watchers of the appended log").isZero();

            // the listening session dies (a database restart, a network blip): the listener reconnects, calls every
            // watcher once for what it may have missed, and is told of appends again
            terminateListeners();
            assertThat(woken.tryAcquire(30, TimeUnit.SECONDS)).as("called once after reconnecting").isTrue();
            awaitListening(1);
            here.append("history", "two").toCompletableFuture().join();
            assertThat(woken.tryAcquire(30, TimeUnit.SECONDS)).as("told again after reconnecting").isTrue();

            watch.close();
            CountDownLatch afterClose = new CountDownLatch(1);
            there.watch("history", afterClose::countDown).orElseThrow();
            here.append("history", "three").toCompletableFuture().join();
            assertThat(afterClose.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(woken.availablePermits()).as("a closed watch is not called").isZero();
        }
    }

    @Test
    void aRolledBackAppendWakesNobody() throws Exception {
        try (JdbcInboxStore otherNode = JdbcInboxStore.builder().dataSource(pool).schema(schema).autoMigrate(false)
                .build()) {
            ChannelState here = StoreChannelState.of(store, A, TG, Clock.systemUTC());
            Semaphore woken = new Semaphore(0);
            StoreChannelState.of(otherNode, A, TG, Clock.systemUTC()).watch("history", woken::release).orElseThrow();
            awaitListening(1);
            assertThat(woken.tryAcquire(30, TimeUnit.SECONDS)).as("called when listening starts").isTrue();
            try {
                store.inTransaction(tx -> {
                    tx.appendChannelLog(A, TG, "history", seq -> "rolled back", java.time.Instant.now());
                    throw new IllegalStateException("roll back");
                });
            } catch (IllegalStateException expected) {
                // the append and its NOTIFY are gone
            }
            here.append("history", "committed").toCompletableFuture().join();
            assertThat(woken.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
            // notifications arrive in commit order on one connection: had the rolled-back one been sent, it would
            // have come first and left a second permit
            assertThat(woken.availablePermits()).isZero();
            assertThat(here.read("history", 0, 10).toCompletableFuture().join()).extracting(LogEntry::value)
                    .containsExactly("committed");
        }
    }

    /** Waits until {@code n} sessions of this database listen for channel-log notifications. */
    private static void awaitListening(int n) throws Exception {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> listeners() >= n);
    }

    private static int listeners() throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresTestDatabase.URL, PostgresTestDatabase.USER, "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND query = 'LISTEN " + PgLogListener.CHANNEL + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void terminateListeners() throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresTestDatabase.URL, PostgresTestDatabase.USER, "");
             Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND query = 'LISTEN " + PgLogListener.CHANNEL + "' AND pid <> pg_backend_pid()");
        }
    }

    @Test
    void anotherNodeAndTheNextRunSeeTheSameState() {
        ChannelState first = StoreChannelState.of(store, A, TG, Clock.systemUTC());
        first.put("button", "payload").toCompletableFuture().join();
        first.append("history", "one").toCompletableFuture().join();
        try (JdbcInboxStore otherNode = JdbcInboxStore.builder().dataSource(pool).schema(schema).autoMigrate(false)
                .build()) {
            ChannelState other = StoreChannelState.of(otherNode, A, TG, Clock.systemUTC());
            assertThat(other.get("button").toCompletableFuture().join().map(StateRecord::value)).contains("payload");
            assertThat(other.append("history", "two").toCompletableFuture().join().seq()).isEqualTo(2);
        }
        store.close();
        store = JdbcInboxStore.builder().dataSource(pool).schema(schema).autoMigrate(false).build();
        ChannelState restarted = StoreChannelState.of(store, A, TG, Clock.systemUTC());
        assertThat(restarted.read("history", 0, 10).toCompletableFuture().join()).extracting(LogEntry::value)
                .containsExactly("one", "two");
    }
}
