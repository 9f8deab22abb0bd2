package dev.switchboard.inbox.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded H2 file close to the size of its data. H2 writes every commit as a new chunk at the end of the
 * file ({@code WRITE_DELAY=0}, so an acknowledged message is on disk), and with a zero write delay its background
 * thread, which would otherwise compact, does not run: the file grows by every commit's pages and never shrinks
 * (measured: 210x the live data after 2,000 messages and replies). This runs that housekeeping itself: every
 * {@code interval} it re-writes chunks that are mostly dead ({@link MVStore#compact(int, int)}) so their space is
 * reused (one round at a time; moving chunks to shrink a file that is open is left to the close, as H2's online
 * {@code compactFile} failed its own assertions under concurrent use), and on close it compacts the whole file
 * ({@code SHUTDOWN COMPACT}). Internal.
 */
final class H2Housekeeping implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(H2Housekeeping.class);
    /** Chunks less full than this are re-written. */
    static final int TARGET_FILL_RATE = 80;
    /** Bytes re-written per round at most, so a round stays short next to the inbox's own writes. */
    private static final int WRITE_LIMIT = 16 * 1024 * 1024;

    private final DataSource dataSource;
    private final ScheduledExecutorService timer;

    H2Housekeeping(DataSource dataSource, Duration interval) {
        this.dataSource = dataSource;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::compactQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Re-writes mostly dead chunks now; true when it moved anything. */
    synchronized boolean compact() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            MVStore store = mvStore(c);
            if (store == null || store.isClosed()) {
                return false;
            }
            return store.compact(TARGET_FILL_RATE, WRITE_LIMIT);
        }
    }

    private void compactQuietly() {
        try {
            compact();
        } catch (Exception | AssertionError e) {
            log.debug("H2 housekeeping round failed (the next one tries again): {}", e.toString());
        }
    }

    private static MVStore mvStore(Connection c) throws SQLException {
        JdbcConnection h2 = c.unwrap(JdbcConnection.class);
        if (!(h2.getSession() instanceof SessionLocal session)) {
            return null; // a server connection: the server keeps its own file
        }
        return session.getDatabase().getStore().getMvStore();
    }

    /** Stops the rounds and closes the database compacted ({@code SHUTDOWN COMPACT}). */
    @Override
    public void close() {
        // never interrupt a round: an interrupted thread closes H2's file channel under the database
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN COMPACT");
        } catch (SQLException e) {
            log.warn("Could not compact the H2 file on close: {}", e.toString());
        }
    }
}
