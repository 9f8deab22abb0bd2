package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases as PostgreSQL session advisory locks, {@code pg_try_advisory_lock(NAMESPACE, hashtext(name))}, each on a
 * connection the lease keeps open. When the holding node dies its connection drops and the server frees the lock, so
 * the next node that tries takes over. The constant first key keeps Switchboard's locks apart from a host's own
 * advisory locks; two lease names with the same 32-bit hash would exclude each other (harmless, never shared). The
 * hashed key is {@code <schema>/<name>}, so stores in different schemas of one database (two deployments, or parallel
 * test runs) never take each other's leases.
 */
final class PostgresLeases implements JdbcInboxStore.Leases {
    private static final Logger log = LoggerFactory.getLogger(PostgresLeases.class);
    /** "SwBd" as an int: the advisory lock namespace of Switchboard leases. */
    static final int NAMESPACE = 0x53774264;

    private final DataSource dataSource;
    private final String scope;
    private final Set<AdvisoryLease> held = ConcurrentHashMap.newKeySet();

    /** {@code scope} is the store's schema name, or empty for the connection's default schema. */
    PostgresLeases(DataSource dataSource, String scope) {
        this.dataSource = dataSource;
        this.scope = scope;
    }

    private String lockKey(String name) {
        return scope + "/" + name;
    }

    @Override
    public Optional<Lease> tryAcquire(String name, String owner) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
                ps.setInt(1, NAMESPACE);
                ps.setString(2, lockKey(name));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        connection.close();
                        return Optional.empty();
                    }
                }
            }
            AdvisoryLease lease = new AdvisoryLease(name, lockKey(name), owner, connection);
            held.add(lease);
            log.debug("lease {} acquired by {}", name, owner);
            return Optional.of(lease);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new JdbcStoreException("cannot try lease " + name, e);
        }
    }

    @Override
    public void close() {
        for (AdvisoryLease lease : held) {
            lease.release();
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Nothing to do: the connection is gone either way.
            }
        }
    }

    /** One held advisory lock and the session that holds it. */
    private final class AdvisoryLease implements Lease {
        private final String name;
        private final String key;
        private final String owner;
        private final Connection connection;
        private boolean released;

        AdvisoryLease(String name, String key, String owner, Connection connection) {
            this.name = name;
            this.key = key;
            this.owner = owner;
            this.connection = connection;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized boolean isHeld() {
            if (released) {
                return false;
            }
            // The lock lives exactly as long as the session: a live session still holds it.
            try {
                if (connection.isValid(5)) {
                    return true;
                }
                log.warn("lease {} of {} lost: its database session ended", name, owner);
            } catch (SQLException e) {
                log.warn("lease {} of {} lost: {}", name, owner, e.getMessage());
            }
            releaseConnection();
            return false;
        }

        @Override
        public synchronized void release() {
            if (released) {
                return;
            }
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
                ps.setInt(1, NAMESPACE);
                ps.setString(2, key);
                ps.execute();
            } catch (SQLException e) {
                // The session is gone, and with it the lock.
                log.debug("unlocking lease {}: {}", name, e.getMessage());
            }
            releaseConnection();
            log.debug("lease {} released by {}", name, owner);
        }

        private void releaseConnection() {
            released = true;
            held.remove(this);
            closeQuietly(connection);
        }

        @Override
        public String toString() {
            return "Lease[" + name + ", owner=" + owner + ", postgresql advisory lock]";
        }
    }
}
