package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.Lease;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases as session locks of the database, each on a connection the lease keeps open: PostgreSQL advisory locks
 * ({@link #POSTGRES_ADVISORY_LOCKS}) or MariaDB/MySQL named locks ({@link #NAMED_LOCKS}). When the holding node dies
 * its connection drops and the server frees the lock, so the next node that tries takes over; no clock and no
 * heartbeat are involved. The lock key is {@code <scope>/<name>} (the scope is the store's schema), so stores in
 * different schemas of one database (two deployments, or parallel test runs) never take each other's leases.
 */
final class SessionLockLeases implements JdbcInboxStore.Leases {
    private static final Logger log = LoggerFactory.getLogger(SessionLockLeases.class);
    /** "SwBd" as an int: the PostgreSQL advisory lock namespace of Switchboard leases. */
    static final int POSTGRES_NAMESPACE = 0x53774264;

    /** How one database takes and frees a session lock. */
    interface SessionLock {
        boolean tryLock(Connection connection, String key) throws SQLException;

        void unlock(Connection connection, String key) throws SQLException;

        String describe();
    }

    /**
     * {@code pg_try_advisory_lock(NAMESPACE, hashtext(key))}. The constant first key keeps Switchboard's locks apart
     * from a host's own advisory locks; two keys with the same 32-bit hash would exclude each other (harmless, never
     * shared).
     */
    static final SessionLock POSTGRES_ADVISORY_LOCKS = new SessionLock() {
        @Override
        public boolean tryLock(Connection connection, String key) throws SQLException {
            return queryBoolean(connection, "SELECT pg_try_advisory_lock(?, hashtext(?))", key, true);
        }

        @Override
        public void unlock(Connection connection, String key) throws SQLException {
            queryBoolean(connection, "SELECT pg_advisory_unlock(?, hashtext(?))", key, true);
        }

        @Override
        public String describe() {
            return "postgresql advisory lock";
        }
    };

    /**
     * {@code GET_LOCK(name, 0)}: named locks are server-wide and their names at most 64 characters, so the name is
     * {@code switchboard/} and a SHA-256 prefix of the key.
     */
    static final SessionLock NAMED_LOCKS = new SessionLock() {
        @Override
        public boolean tryLock(Connection connection, String key) throws SQLException {
            return queryBoolean(connection, "SELECT GET_LOCK(?, 0)", lockName(key), false);
        }

        @Override
        public void unlock(Connection connection, String key) throws SQLException {
            queryBoolean(connection, "SELECT RELEASE_LOCK(?)", lockName(key), false);
        }

        @Override
        public String describe() {
            return "named lock";
        }
    };

    static String lockName(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "switchboard/" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static boolean queryBoolean(Connection connection, String sql, String key, boolean namespaced)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int i = 1;
            if (namespaced) {
                ps.setInt(i++, POSTGRES_NAMESPACE);
            }
            ps.setString(i, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1); // NULL (a MariaDB error) reads as false
            }
        }
    }

    private final DataSource dataSource;
    private final String scope;
    private final SessionLock lock;
    private final Set<HeldLock> held = ConcurrentHashMap.newKeySet();

    /** {@code scope} is the store's schema name, or empty for the connection's default schema. */
    SessionLockLeases(DataSource dataSource, String scope, SessionLock lock) {
        this.dataSource = dataSource;
        this.scope = scope;
        this.lock = lock;
    }

    String lockKey(String name) {
        return scope + "/" + name;
    }

    @Override
    public Optional<Lease> tryAcquire(String name, String owner) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            if (!lock.tryLock(connection, lockKey(name))) {
                connection.close();
                return Optional.empty();
            }
            HeldLock lease = new HeldLock(name, lockKey(name), owner, connection);
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
        for (HeldLock lease : held) {
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

    /** One held lock and the session that holds it. */
    private final class HeldLock implements Lease {
        private final String name;
        private final String key;
        private final String owner;
        private final Connection connection;
        private boolean released;

        HeldLock(String name, String key, String owner, Connection connection) {
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
            try {
                lock.unlock(connection, key);
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
            return "Lease[" + name + ", owner=" + owner + ", " + lock.describe() + "]";
        }
    }
}
