package dev.switchboard.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxHealth;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.store.PostgresTestDatabase;
import dev.switchboard.inbox.testkit.PollingFakeChannel;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A running inbox on PostgreSQL through HikariCP survives what production does to it: the session holding a polling
 * channel's lease killed ({@code pg_terminate_backend}), and a database outage (every session of this test's pool
 * terminated while the data source refuses new connections, as during a restart or a network partition; the real
 * server keeps running for everyone else). The channel is stopped, reported interrupted, rebuilt from its factory when
 * the lease is re-taken (the instances refuse a second start), and every message a customer sent before, during and
 * after is stored exactly once.
 */
class PostgresOutageTest {
    private static final TenantId SHOP = TenantId.of("shop");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String application = "sb-outage-" + UUID.randomUUID().toString().substring(0, 8);
    private String schema;
    private RefusingDataSource refusing;
    private HikariDataSource pool;
    private JdbcInboxStore store;
    private Inbox inbox;

    @BeforeEach
    void setUp() {
        PostgresTestDatabase.assumeAvailable();
        schema = PostgresTestDatabase.newSchema("outage");
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(PostgresTestDatabase.URL);
        pg.setUser(PostgresTestDatabase.USER);
        pg.setApplicationName(application);
        refusing = new RefusingDataSource(pg);
        HikariConfig config = new HikariConfig();
        config.setDataSource(refusing);
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(1000);
        config.setValidationTimeout(500);
        config.setPoolName(application);
        pool = new HikariDataSource(config);
        store = JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
    }

    @AfterEach
    void tearDown() {
        if (inbox != null) {
            inbox.close();
        }
        if (store != null) {
            store.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (schema != null) {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Test
    void aKilledLeaseSessionAndADatabaseOutageLoseNoMessageAndStoreNoneTwice() throws Exception {
        PollingFakeChannel.Platform platform = new PollingFakeChannel.Platform();
        // channels that cannot be restarted, as Telegram's and email's were: each recovery builds a new one
        List<PollingFakeChannel> built = new java.util.concurrent.CopyOnWriteArrayList<>();
        inbox = Inbox.builder().store(store).channel(() -> {
                    PollingFakeChannel c = PollingFakeChannel.singleUse(SHOP, "tg", platform);
                    built.add(c);
                    return c;
                })
                .leaseCheckInterval(Duration.ofMillis(200)).eventPollInterval(Duration.ofMillis(100))
                .outbox(OutboxSettings.builder().pollInterval(Duration.ofMillis(50)).build())
                .build();
        inbox.start();
        await().atMost(WAIT).until(() -> built.get(0).isRunning());
        List<String> sent = new ArrayList<>();
        post(platform, sent, "before", 10);
        await().atMost(WAIT).until(() -> platform.unconfirmed() == 0);

        // 1. the session holding the lease is killed: the channel stops, and starts again when the lease is re-taken
        assertThat(terminate("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = ?::oid"
                + " AND objid = hashtext(?)::oid", Integer.toUnsignedLong(SessionLockLeases.POSTGRES_NAMESPACE),
                schema + "/poll:shop:tg")).isEqualTo(1);
        await().atMost(WAIT).until(() -> built.size() == 2 && built.get(1).isRunning());
        post(platform, sent, "after-kill", 10);
        await().atMost(WAIT).until(() -> platform.unconfirmed() == 0);

        // 2. the database goes away: every session of this pool is killed and no new one is accepted for a while
        refusing.refuse(true);
        assertThat(terminate("SELECT pid FROM pg_stat_activity WHERE application_name = ?", application))
                .isPositive();
        post(platform, sent, "during", 10);
        await().atMost(WAIT).until(() -> !built.get(1).isRunning()
                && inbox.health().channel(SHOP, ChannelId.of("tg")).orElseThrow().interruptedSince().isPresent());
        InboxHealth during = inbox.health();
        assertThat(during.status()).isEqualTo(InboxHealth.Status.DOWN);
        assertThat(during.store().reachable()).isFalse();
        assertThat(platform.unconfirmed()).isEqualTo(10); // nothing was acknowledged that was not stored

        refusing.refuse(false);
        await().atMost(WAIT).until(() -> built.size() == 3 && built.get(2).isRunning());
        post(platform, sent, "after-outage", 10);
        await().atMost(WAIT).until(() -> platform.unconfirmed() == 0 && stored().size() >= sent.size());

        assertThat(stored()).containsExactlyInAnyOrderElementsOf(sent); // each exactly once
        await().atMost(WAIT).until(() -> inbox.health().status() == InboxHealth.Status.UP);
        InboxHealth.ChannelReport tg = inbox.health().channel(SHOP, ChannelId.of("tg")).orElseThrow();
        assertThat(tg.restarts()).isEqualTo(2);
        assertThat(tg.rebuilds()).isEqualTo(2);
        assertThat(tg.interruptedSince()).isEmpty();
    }

    private static void post(PollingFakeChannel.Platform platform, List<String> sent, String phase, int n) {
        for (int i = 0; i < n; i++) {
            String text = phase + " " + i;
            platform.post("customer-" + (i % 3), text);
            sent.add(text);
        }
    }

    private List<String> stored() {
        List<String> out = new ArrayList<>();
        for (Conversation c : inbox.conversations(ConversationQuery.all(SHOP, 100)).items()) {
            for (Message m : inbox.messages(SHOP, c.id())) {
                out.add(m.content().plainText());
            }
        }
        return out;
    }

    /** Terminates the backends the query selects (from a connection outside the pool); returns how many. */
    private static int terminate(String pidQuery, Object... args) throws SQLException {
        try (Connection c = DriverManager.getConnection(PostgresTestDatabase.URL, PostgresTestDatabase.USER, "");
             PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM (" + pidQuery
                     + ") AS victims")) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(1)) {
                        n++;
                    }
                }
            }
            return n;
        }
    }

    /** A data source that refuses new connections while told to, as a database that is down does. */
    private static final class RefusingDataSource implements DataSource {
        private final DataSource delegate;
        private volatile boolean refusing;

        RefusingDataSource(DataSource delegate) {
            this.delegate = delegate;
        }

        void refuse(boolean refuse) {
            this.refusing = refuse;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (refusing) {
                throw new SQLTransientConnectionException("connection refused (simulated outage)", "08001");
            }
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return delegate.isWrapperFor(iface);
        }
    }
}
