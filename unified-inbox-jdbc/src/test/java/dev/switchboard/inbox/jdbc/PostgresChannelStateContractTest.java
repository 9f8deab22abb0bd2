package dev.switchboard.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.LogEntry;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.inbox.StoreChannelState;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.ChannelStateContract;
import dev.switchboard.inbox.store.PostgresTestDatabase;
import java.time.Clock;
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
