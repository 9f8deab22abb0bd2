package dev.switchboard.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-setup H2 file stays close to the size of its data: every commit is written as new pages at the end of the
 * file, so without housekeeping the file is many times its data after a few hundred small transactions.
 */
class H2FileCompactionTest {
    private static final int TRANSACTIONS = 200;

    @Test
    void afterManySmallCommitsAndCloseTheFileIsWithinTwiceItsLiveSize(@TempDir Path dir) throws Exception {
        Instant at = Instant.parse("2026-12-06T12:00:00Z");
        try (JdbcInboxStore store = JdbcInboxStore.h2File(dir)) {
            for (int i = 0; i < TRANSACTIONS; i++) {
                String id = "event-" + i;
                store.inTransaction(tx -> {
                    tx.markProcessed(TenantId.DEFAULT, ChannelId.of("tg"), id, at);
                    return tx.appendEvent(new InboxEvent(0, TenantId.DEFAULT, InboxEvent.Type.MESSAGE_RECEIVED,
                            Optional.empty(), Optional.empty(), Optional.empty(), Map.of("id", id), at));
                });
            }
        }
        Path file = dir.resolve("switchboard.mv.db");
        long afterClose = Files.size(file);

        long events;
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("switchboard"), "sa", "");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sb_event")) {
                rs.next();
                events = rs.getLong(1);
            }
            s.execute("SHUTDOWN COMPACT");
        }
        long live = Files.size(file);
        assertThat(events).isEqualTo(TRANSACTIONS);
        assertThat(afterClose).as("file after close (%d bytes) against its live size (%d bytes)", afterClose, live)
                .isLessThanOrEqualTo(2 * live);
    }

    @Test
    void housekeepingRoundsRunOnAnOpenFile(@TempDir Path dir) throws Exception {
        try (JdbcInboxStore store = JdbcInboxStore.h2File(dir)) {
            for (int i = 0; i < 50; i++) {
                String id = "e-" + i;
                store.inTransaction(tx -> tx.markProcessed(TenantId.DEFAULT, ChannelId.of("tg"), id, Instant.now()));
            }
            store.compactNow(); // must not disturb the open database
            boolean firstTime = store.inTransaction(tx -> tx.markProcessed(TenantId.DEFAULT, ChannelId.of("tg"),
                    "e-1", Instant.now()));
            assertThat(firstTime).isFalse();
        }
    }
}
