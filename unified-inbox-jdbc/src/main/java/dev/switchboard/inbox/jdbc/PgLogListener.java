package dev.switchboard.inbox.jdbc;

import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.LogWatchers;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this node's channel-log watchers of appends committed by any node on PostgreSQL: an append runs
 * {@code pg_notify} in its own transaction (so the notification is delivered only if it commits), and one daemon
 * thread per store holds a dedicated connection that {@code LISTEN}s and dispatches each payload to the watchers of
 * that log. The payload is a hash of the store's schema, the tenant, the channel and the log name (fixed length, far
 * below PostgreSQL's 8000-byte limit, and two stores in different schemas of one database never wake each other).
 * The thread starts with the first watch; when the connection fails it reconnects with a growing pause (up to 30
 * s). Each time it starts listening it calls every watcher once, since appends committed before were not announced.
 * The PostgreSQL driver is reached through {@code Connection.unwrap} and reflection, so this module has no compile
 * dependency on it. Internal.
 */
final class PgLogListener implements AutoCloseable {
    /** The one notification channel every store uses; payloads say which log. */
    static final String CHANNEL = "switchboard_channel_log";
    private static final Logger log = LoggerFactory.getLogger(PgLogListener.class);
    private static final int WAIT_MS = 500;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final DataSource dataSource;
    private final String scope;
    private final LogWatchers watchers = new LogWatchers();
    private volatile boolean closed;
    private Thread thread;

    PgLogListener(DataSource dataSource, String scope) {
        this.dataSource = dataSource;
        this.scope = scope;
    }

    /** The payload an append to this log notifies with. */
    static String payload(String scope, TenantId tenant, ChannelId channel, String logName) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((scope + '\u0000' + tenant.value() + '\u0000'
                    + channel.value() + '\u0000' + logName).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    ChannelState.Watch watch(TenantId tenant, ChannelId channel, String logName, Runnable onAppend) {
        ChannelState.Watch w = watchers.add(payload(scope, tenant, channel, logName), onAppend);
        startOnce();
        return w;
    }

    private synchronized void startOnce() {
        if (thread == null && !closed) {
            thread = new Thread(this::run, "switchboard-pg-listen");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                // appends committed before LISTEN took effect (while connecting, or reconnecting) went unannounced
                watchers.fireAll();
                backoff = 100;
                Notifications pg = new Notifications(c);
                while (!closed) {
                    for (String p : pg.next(WAIT_MS)) {
                        watchers.fire(p);
                    }
                }
                // the connection goes back to a pool: a session left listening would hold up the server's queue
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN *");
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("channel log notifications: the LISTEN connection failed, reconnecting in {} ms ({})",
                        backoff, e.toString());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code PGConnection#getNotifications(int)} through reflection. */
    private static final class Notifications {
        private final Object pg;
        private final Method get;
        private final Method parameter;

        Notifications(Connection c) throws SQLException {
            try {
                ClassLoader loader = c.unwrap(Connection.class).getClass().getClassLoader();
                Class<?> pgConnection = Class.forName("org.postgresql.PGConnection", false, loader);
                this.pg = c.unwrap(pgConnection);
                this.get = pgConnection.getMethod("getNotifications", int.class);
                this.parameter = Class.forName("org.postgresql.PGNotification", false, loader)
                        .getMethod("getParameter");
            } catch (ReflectiveOperationException e) {
                throw new SQLException("the PostgreSQL driver (org.postgresql) is needed for notifications", e);
            }
        }

        String[] next(int waitMs) throws SQLException {
            try {
                Object[] got = (Object[]) get.invoke(pg, waitMs);
                if (got == null) {
                    return new String[0];
                }
                String[] out = new String[got.length];
                for (int i = 0; i < got.length; i++) {
                    out[i] = (String) parameter.invoke(got[i]);
                }
                return out;
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw new SQLException("reading notifications failed", e.getCause());
            } catch (IllegalAccessException e) {
                throw new SQLException("reading notifications failed", e);
            }
        }
    }
}
