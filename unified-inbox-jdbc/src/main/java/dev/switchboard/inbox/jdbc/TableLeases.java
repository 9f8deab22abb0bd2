package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases as rows of {@code sb_lease} with an expiry, for databases without session advisory locks (H2). A holder
 * renews its rows every third of the TTL from a daemon heartbeat thread; a row whose expiry passed (its holder died or
 * hung) is taken over by the next node that tries. Each acquisition gets a fresh token, so a holder that lost its
 * lease never renews or releases the next holder's row.
 */
final class TableLeases implements JdbcInboxStore.Leases {
    private static final Logger log = LoggerFactory.getLogger(TableLeases.class);

    private final DataSource dataSource;
    private final String table;
    private final Clock clock;
    private final Duration ttl;
    private final Set<RowLease> held = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService heartbeat;

    TableLeases(DataSource dataSource, String tablePrefix, Clock clock, Duration ttl) {
        this.dataSource = dataSource;
        this.table = tablePrefix + "sb_lease";
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public Optional<Lease> tryAcquire(String name, String owner) {
        String token = UUID.randomUUID().toString();
        Instant now = clock.instant();
        boolean acquired = withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
                    + " SET owner = ?, token = ?, expires_at = ? WHERE name = ? AND expires_at < ?")) {
                ps.setString(1, owner);
                ps.setString(2, token);
                ps.setObject(3, utc(now.plus(ttl)));
                ps.setString(4, name);
                ps.setObject(5, utc(now));
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                    + " (name, owner, token, expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, owner);
                ps.setString(3, token);
                ps.setObject(4, utc(now.plus(ttl)));
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (SqlStates.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
        if (!acquired) {
            return Optional.empty();
        }
        RowLease lease = new RowLease(name, owner, token);
        held.add(lease);
        startHeartbeat();
        return Optional.of(lease);
    }

    private synchronized void startHeartbeat() {
        if (heartbeat == null) {
            heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "switchboard-lease-heartbeat");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(100, ttl.toMillis() / 3);
            heartbeat.scheduleWithFixedDelay(this::renewAll, period, period, TimeUnit.MILLISECONDS);
        }
    }

    private void renewAll() {
        for (RowLease lease : held) {
            try {
                lease.renew();
            } catch (RuntimeException e) {
                log.warn("renewing lease {} failed: {}", lease.name, e.getMessage());
            }
        }
    }

    @Override
    public synchronized void close() {
        for (RowLease lease : held) {
            lease.release();
        }
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw new JdbcStoreException("lease table access failed", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** One held lease row, identified by its token. */
    private final class RowLease implements Lease {
        private final String name;
        private final String owner;
        private final String token;
        private volatile boolean released;

        RowLease(String name, String owner, String token) {
            this.name = name;
            this.owner = owner;
            this.token = token;
        }

        @Override
        public String name() {
            return name;
        }

        /** Extends the expiry; false when the row was taken over or the lease released. */
        boolean renew() {
            if (released) {
                return false;
            }
            Instant now = clock.instant();
            boolean ok = withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET expires_at = ? WHERE name = ? AND token = ? AND expires_at >= ?")) {
                    ps.setObject(1, utc(now.plus(ttl)));
                    ps.setString(2, name);
                    ps.setString(3, token);
                    ps.setObject(4, utc(now));
                    return ps.executeUpdate() == 1;
                }
            });
            if (!ok) {
                log.warn("lease {} of {} expired before it was renewed", name, owner);
                released = true;
                held.remove(this);
            }
            return ok;
        }

        @Override
        public boolean isHeld() {
            try {
                return renew();
            } catch (RuntimeException e) {
                log.warn("lease {} of {} cannot be checked: {}", name, owner, e.getMessage());
                return false;
            }
        }

        @Override
        public void release() {
            if (released) {
                return;
            }
            released = true;
            held.remove(this);
            try {
                withConnection(c -> {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE name = ? AND token = ?")) {
                        ps.setString(1, name);
                        ps.setString(2, token);
                        return ps.executeUpdate();
                    }
                });
            } catch (RuntimeException e) {
                log.warn("releasing lease {} failed (it expires by itself): {}", name, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "Lease[" + name + ", owner=" + owner + ", table lease]";
        }
    }
}
