package dev.switchboard.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.store.PostgresTestDatabase;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group-committed ingest transaction holds its dedupe rows back until commit. Another node that processes the same
 * platform event in the meantime must win: the held insert fails at commit, the store runs the transaction again, and
 * the re-run finds the event processed, so it is handled once in all.
 */
class HeldWritesRaceTest {
    private static final TenantId TENANT = TenantId.DEFAULT;
    private static final ChannelId CHANNEL = ChannelId.of("tg");
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void onH2(@TempDir Path dir) throws Exception {
        try (JdbcInboxStore store = JdbcInboxStore.h2File(dir)) {
            raceOnce(store, store.dataSource(), "");
        }
    }

    @Test
    void onPostgres() throws Exception {
        PostgresTestDatabase.assumeAvailable();
        JdbcConnectionPool pool = PostgresTestDatabase.pool(4);
        String schema = PostgresTestDatabase.newSchema("race");
        try (JdbcInboxStore store = JdbcInboxStore.builder().dataSource(pool).schema(schema).build()) {
            raceOnce(store, pool, "\"" + schema + "\".");
        } finally {
            pool.dispose();
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    private static void raceOnce(JdbcInboxStore store, DataSource dataSource, String prefix) throws Exception {
        InboundEvent event = InboundEvent.MessageReceived.of("e1", ChannelAccount.of(TENANT, CHANNEL, "u1",
                Profile.named("U")), AT, "p1", Content.text("hi"));
        AtomicInteger attempts = new AtomicInteger();
        boolean handledHere = store.inTransaction(tx -> {
            tx.prefetchInbound(TENANT, CHANNEL, List.of(event));
            if (attempts.incrementAndGet() == 1) {
                // the other node, on its own connection, commits the same event after our bulk read
                CompletableFuture.supplyAsync(() -> store.inTransaction(other ->
                        other.markProcessed(TENANT, CHANNEL, "e1", AT))).orTimeout(30, TimeUnit.SECONDS).join();
            }
            return tx.markProcessed(TENANT, CHANNEL, "e1", AT);
        });
        assertThat(attempts).as("the transaction ran again after its held insert lost").hasValue(2);
        assertThat(handledHere).as("the re-run sees the other node's row").isFalse();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + prefix + "sb_processed_event WHERE event_id = 'e1'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }
}
