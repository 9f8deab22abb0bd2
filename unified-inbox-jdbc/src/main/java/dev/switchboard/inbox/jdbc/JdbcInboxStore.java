package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.Lease;
import dev.switchboard.store.DuplicateKeyException;
import dev.switchboard.store.TransactionWork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox store on a relational database: PostgreSQL or MariaDB/MySQL in production, an embedded H2 file as the
 * zero-setup default ({@link #h2File(Path)}). The dialect is detected from the connection (or named with
 * {@link Builder#database(Database)}); the schema is created and upgraded by Flyway on {@link Builder#build()} unless
 * {@link Builder#autoMigrate(boolean) autoMigrate(false)} says the host applies the scripts itself (they ship in this
 * jar under {@code db/switchboard/postgresql}, {@code db/switchboard/mariadb} and {@code db/switchboard/h2}).
 *
 * <p>Each {@link #inTransaction} runs on one connection with autocommit off. Work that loses a race (a uniqueness
 * violation surfaced as {@link DuplicateKeyException}, a serialization failure or a deadlock) is rolled back and run
 * again, up to {@value #MAX_ATTEMPTS} times with a short jittered pause, so two nodes resolving the same new account
 * at once end up with one customer. See {@code docs/jdbc-store.md} for the schema, event ordering, outbox claiming
 * and leases.
 */
public final class JdbcInboxStore implements InboxStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcInboxStore.class);
    static final int MAX_ATTEMPTS = 5;
    private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final Dialect dialect;
    /** {@code "schema".} (or the dialect's quoting) when the builder named a schema, else empty. */
    private final String tablePrefix;
    private final StoreSql sql;
    private final JsonCodec json = new JsonCodec();
    private final Leases leases;
    /** PostgreSQL: one LISTEN connection, opened with the first watch, telling this node of appends by any node. */
    private final Optional<PgLogListener> logNotifications;
    private final Optional<JdbcConnectionPool> ownedPool;
    /** Compaction of the embedded file this store owns ({@link #h2File(Path)}). */
    private final Optional<H2Housekeeping> housekeeping;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    static final Duration H2_HOUSEKEEPING_INTERVAL = Duration.ofSeconds(1);

    private JdbcInboxStore(Builder b, Dialect dialect, Optional<JdbcConnectionPool> ownedPool) {
        this.dataSource = b.dataSource;
        this.dialect = dialect;
        this.tablePrefix = b.schema.map(dialect::tablePrefix).orElse("");
        this.sql = StoreSql.of(tablePrefix, dialect);
        this.ownedPool = ownedPool;
        // only h2File owns a pool: an embedded H2 file
        this.housekeeping = ownedPool.map(p -> new H2Housekeeping(p, H2_HOUSEKEEPING_INTERVAL));
        this.leases = dialect.leases(dataSource, tablePrefix, b.schema, b.clock, b.leaseTtl);
        this.logNotifications = dialect instanceof PostgresDialect
                ? Optional.of(new PgLogListener(dataSource, tablePrefix)) : Optional.empty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A store in an embedded H2 database file under {@code dir} (created when missing), PostgreSQL compatibility
     * mode, pooled with H2's own connection pool, migrated. The store owns the pool and the database: it keeps the
     * file compact while running (mostly dead chunks re-written every second), and {@link #close()} closes the
     * database compacted. The database does not close itself when the JVM exits, so an inbox closed from a shutdown
     * hook still records what it had in flight; close the store after the inbox. One process at a time may open the
     * file.
     */
    public static JdbcInboxStore h2File(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir, e);
        }
        // WRITE_DELAY=0: every commit is on disk before it is acknowledged. DB_CLOSE_ON_EXIT=FALSE: H2 does not close
        // itself from a JVM shutdown hook while the inbox still drains; close() closes it, last.
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("switchboard")
                + ";MODE=PostgreSQL;LOCK_TIMEOUT=10000;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;RETENTION_TIME=1000";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        pool.setMaxConnections(32);
        try {
            return builder().dataSource(pool).build(Optional.of(pool));
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
    }

    /**
     * The database this store runs on, as detected or configured: {@code "postgresql"}, {@code "mariadb"} (MariaDB or
     * MySQL) or {@code "h2"}; also the folder of its migration scripts under {@code db/switchboard/}.
     */
    public String databaseKind() {
        return dialect.migrationFolder();
    }

    @Override
    public <T> T inTransaction(TransactionWork<InboxTransaction, T> work) {
        Objects.requireNonNull(work, "work");
        for (int attempt = 1; ; attempt++) {
            try {
                return runOnce(work);
            } catch (DuplicateKeyException | JdbcStoreException e) {
                boolean retryable = e instanceof DuplicateKeyException || ((JdbcStoreException) e).isTransient();
                if (!retryable || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                log.debug("transaction lost a race (attempt {} of {}), running it again: {}", attempt, MAX_ATTEMPTS,
                        e.getMessage());
                // Small jittered pause so the racing transactions do not collide again in lockstep.
                LockSupport.parkNanos(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 5 * attempt + 1)).toNanos());
            }
        }
    }

    private <T> T runOnce(TransactionWork<InboxTransaction, T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            try {
                dialect.beginTransaction(connection);
                JdbcInboxTransaction tx = new JdbcInboxTransaction(connection, dialect, json, sql);
                T result = work.run(tx);
                tx.beforeCommit();
                Optional<DuplicateKeyException> poison = tx.poison();
                if (poison.isPresent()) {
                    // The work swallowed a violation, but PostgreSQL already aborted the transaction.
                    throw poison.get();
                }
                connection.commit();
                return result;
            } catch (Throwable t) {
                rollbackQuietly(connection, t);
                throw t;
            } finally {
                if (autoCommit) {
                    connection.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new JdbcStoreException("transaction failed", e);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** True: every node on this database paces each platform account against the same marks. */
    @Override
    public boolean sharesSendPacing() {
        return true;
    }

    /** True: every node on this database shares each channel's state. */
    @Override
    public boolean keepsChannelState() {
        return true;
    }

    @Override
    public Optional<Lease> tryAcquireLease(String name, String owner) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        return leases.tryAcquire(name, owner);
    }

    /** Database-side failures by SQLState ({@code SqlStates#isTransient}) and the JDBC transient exception types. */
    @Override
    public boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sqlException && dialect.isTransient(sqlException)) {
                return true;
            }
            if (t instanceof JdbcStoreException jdbc && jdbc.sqlState().filter(SqlStates::isTransient).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * On PostgreSQL, calls {@code onAppend} when an append to the log commits on any node: the append sends a
     * {@code NOTIFY} in its transaction, and one dedicated connection per store (opened with the first watch) listens
     * and reconnects when it fails, then calls every watch once. On MariaDB and H2: empty (readers poll).
     */
    @Override
    public Optional<dev.switchboard.channel.state.ChannelState.Watch> watchChannelLog(
            dev.switchboard.model.TenantId tenant, dev.switchboard.model.ChannelId channel, String log,
            Runnable onAppend) {
        return logNotifications.map(l -> l.watch(tenant, channel, log, onAppend));
    }

    DataSource dataSource() {
        return dataSource;
    }

    /**
     * Releases this node's leases; a store made by {@link #h2File(Path)} then closes its database, compacting the
     * file. Close the inbox first: it still records what is in flight. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        logNotifications.ifPresent(PgLogListener::close);
        leases.close();
        housekeeping.ifPresent(H2Housekeeping::close);
        ownedPool.ifPresent(JdbcConnectionPool::dispose);
    }

    /** Runs one round of the embedded file's housekeeping now (tests and harnesses); false when there is none. */
    boolean compactNow() throws SQLException {
        return housekeeping.isPresent() && housekeeping.get().compact();
    }

    /** The databases the store speaks; see {@link Builder#database(Database)}. */
    public enum Database {
        /** PostgreSQL 13 or later. */
        POSTGRESQL(PostgresDialect.INSTANCE),
        /** MariaDB 10.6 or later, or MySQL 8, on InnoDB with {@code utf8mb4}. */
        MARIADB(MariaDbDialect.INSTANCE),
        /** H2 2.x, usually the embedded file of {@link #h2File(Path)}. */
        H2(H2Dialect.INSTANCE);

        private final Dialect dialect;

        Database(Dialect dialect) {
            this.dialect = dialect;
        }

        Dialect dialect() {
            return dialect;
        }
    }

    /** Lease implementations per database. */
    interface Leases extends AutoCloseable {
        Optional<Lease> tryAcquire(String name, String owner);

        @Override
        void close();
    }

    /**
     * Configures a {@link JdbcInboxStore}. Only {@link #dataSource(DataSource)} is required; everything is checked
     * and the schema migrated by {@link #build()}.
     */
    public static final class Builder {
        private DataSource dataSource;
        private boolean autoMigrate = true;
        private Optional<String> schema = Optional.empty();
        private Clock clock = Clock.systemUTC();
        private Duration leaseTtl = Duration.ofSeconds(15);
        private Optional<Database> database = Optional.empty();

        private Builder() {}

        /**
         * The database's SQL dialect, instead of detecting it from the connection's product name (PostgreSQL, MariaDB,
         * MySQL, H2). Name it when a proxy or wrapper driver reports another name, or a MySQL-compatible server reports
         * its own.
         */
        public Builder database(Database database) {
            this.database = Optional.of(Objects.requireNonNull(database, "database"));
            return this;
        }

        /**
         * Where the tables live. The store borrows a connection per transaction, plus one per held lease on PostgreSQL
         * and MariaDB.
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** Whether {@link #build()} creates and upgrades the schema (default true). */
        public Builder autoMigrate(boolean autoMigrate) {
            this.autoMigrate = autoMigrate;
            return this;
        }

        /** A database schema to hold the tables instead of the connection's default one (created when migrating). */
        public Builder schema(String schema) {
            Objects.requireNonNull(schema, "schema");
            if (!SCHEMA_NAME.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must match " + SCHEMA_NAME.pattern() + ", got '" + schema + "'");
            }
            this.schema = Optional.of(schema);
            return this;
        }

        /** The clock for lease expiry on H2 (default system UTC); PostgreSQL and MariaDB leases need no clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long an H2 lease outlives its holder's last heartbeat (default 15 s; renewed every third of it).
         * PostgreSQL and MariaDB leases are session locks and need no expiry.
         */
        public Builder leaseTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("leaseTtl must be at least 1 second, got " + ttl);
            }
            this.leaseTtl = ttl;
            return this;
        }

        public JdbcInboxStore build() {
            return build(Optional.empty());
        }

        JdbcInboxStore build(Optional<JdbcConnectionPool> ownedPool) {
            if (dataSource == null) {
                throw new IllegalStateException("JdbcInboxStore needs a dataSource");
            }
            Dialect dialect;
            if (database.isPresent()) {
                dialect = database.get().dialect();
            } else {
                try (Connection c = dataSource.getConnection()) {
                    dialect = Dialect.detect(c);
                } catch (SQLException e) {
                    throw new JdbcStoreException("cannot connect to detect the database", e);
                }
            }
            if (autoMigrate) {
                SchemaMigrations.migrate(dataSource, dialect, schema);
            }
            return new JdbcInboxStore(this, dialect, ownedPool);
        }
    }
}
