package dev.switchboard.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.RejectedInput;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.spi.Lease;
import dev.switchboard.inbox.store.MariaDbTestDatabase;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Direction;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is specific to MariaDB: text in any script (Cyrillic, CJK, emoji and other 4-byte characters) round-trips
 * exactly and is compared case-sensitively, transactions run at READ COMMITTED, and a lease is freed when its session
 * dies. Each test gets its own database.
 */
class MariaDbStoreTest {
    private static final TenantId TENANT = TenantId.of("t1");
    private static final ChannelId TG = ChannelId.of("tg");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");
    /** Cyrillic, CJK, an emoji with a skin tone and joiner, a mathematical letter and a playing card (4-byte). */
    private static final String TEXT = "Привет, Ёжик! 你好 👩🏽‍💻 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🂡";

    private JdbcConnectionPool pool;
    private String schema;

    @BeforeEach
    void database() {
        MariaDbTestDatabase.assumeAvailable();
        pool = MariaDbTestDatabase.pool(6);
        schema = MariaDbTestDatabase.newSchema("mariadb");
    }

    @AfterEach
    void drop() {
        if (pool != null) {
            pool.dispose();
            MariaDbTestDatabase.dropSchema(schema);
        }
    }

    private JdbcInboxStore store() {
        return JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
    }

    @Test
    void textInAnyScriptRoundTripsExactlyIncludingFourByteCharacters() {
        assertThat(TEXT.codePoints().filter(Character::isSupplementaryCodePoint).count()).isGreaterThanOrEqualTo(4);
        try (JdbcInboxStore store = store()) {
            assertThat(store.databaseKind()).isEqualTo("mariadb");
            String user = "Ёжик-" + "👩🏽‍💻";
            ContactPoint email = new ContactPoint(ContactPoint.Kind.EMAIL, "ёжик@пример.рф");
            Customer customer = Customer.create(TENANT, CustomerId.of("c1"), T0);
            customer = customer.with(Optional.of(TEXT), Optional.empty(),
                    List.of(new LinkedAccount(ChannelAccount.of(TENANT, TG, user, Profile.named(TEXT)), "inbound", T0,
                            false)),
                    List.of(new CustomerContact(email, true, "test", T0, Optional.empty())), customer.attributes(),
                    customer.preferences(), customer.conflicts(), Optional.empty(), T0);
            Customer saved = customer;
            Message message = new Message(TENANT, MessageId.of("m1"), ConversationId.of("k1"), CustomerId.of("c1"), TG,
                    Direction.INBOUND, new AccountKey(TENANT, TG, user), Optional.empty(), Content.text(TEXT),
                    Optional.of("пм-" + TEXT), DeliveryStatus.RECEIVED, Optional.empty(), T0, T0);
            byte[] raw = TEXT.getBytes(StandardCharsets.UTF_8);
            store.inTransaction(tx -> {
                tx.saveCustomer(saved);
                tx.saveNameKeys(TENANT, CustomerId.of("c1"), java.util.Set.of("ёжик", "👩🏽‍💻"));
                tx.saveMessage(message);
                tx.markProcessed(TENANT, TG, "событие-🂡", T0);
                tx.quarantine(TENANT, new RejectedInput(TG, Optional.of("событие-" + TEXT), raw, TEXT, T0));
                tx.saveSendPaceMark("t1/tg/" + user, T0);
                return null;
            });
            store.inTransaction(tx -> {
                assertThat(tx.customer(TENANT, CustomerId.of("c1")).orElseThrow().displayName()).contains(TEXT);
                assertThat(tx.customerByAccount(new AccountKey(TENANT, TG, user))).contains(CustomerId.of("c1"));
                assertThat(tx.customersByContact(TENANT, email)).containsExactly(CustomerId.of("c1"));
                assertThat(tx.customersByNameKey(TENANT, "👩🏽‍💻")).containsExactly(CustomerId.of("c1"));
                Message read = tx.messageByPlatformId(TENANT, TG, "пм-" + TEXT).orElseThrow();
                assertThat(read.content()).isEqualTo(Content.text(TEXT));
                assertThat(tx.markProcessed(TENANT, TG, "событие-🂡", T0)).isFalse();
                var q = tx.quarantined(TENANT, 10).get(0).input();
                assertThat(q.reason()).isEqualTo(TEXT);
                assertThat(q.platformEventId()).contains("событие-" + TEXT);
                assertThat(q.raw()).isEqualTo(raw);
                assertThat(tx.sendPaceMark("t1/tg/" + user)).contains(T0);
                return null;
            });
        }
    }

    @Test
    void platformIdsEventIdsAndNameKeysAreCaseSensitive() {
        try (JdbcInboxStore store = store()) {
            store.inTransaction(tx -> {
                assertThat(tx.markProcessed(TENANT, TG, "Ёж-E1", T0)).isTrue();
                assertThat(tx.markProcessed(TENANT, TG, "ёж-e1", T0)).isTrue();
                tx.saveCustomer(Customer.create(TENANT, CustomerId.of("c1"), T0).withAccounts(List.of(new LinkedAccount(
                        ChannelAccount.of(TENANT, TG, "Иван", Profile.EMPTY), "inbound", T0, false)), T0));
                tx.saveCustomer(Customer.create(TENANT, CustomerId.of("c2"), T0).withAccounts(List.of(new LinkedAccount(
                        ChannelAccount.of(TENANT, TG, "иван", Profile.EMPTY), "inbound", T0, false)), T0));
                tx.saveNameKeys(TENANT, CustomerId.of("c1"), java.util.Set.of("Ivan"));
                tx.saveNameKeys(TENANT, CustomerId.of("c2"), java.util.Set.of("ivan"));
                return null;
            });
            store.inTransaction(tx -> {
                assertThat(tx.customerByAccount(new AccountKey(TENANT, TG, "Иван"))).contains(CustomerId.of("c1"));
                assertThat(tx.customerByAccount(new AccountKey(TENANT, TG, "иван"))).contains(CustomerId.of("c2"));
                assertThat(tx.customersByNameKey(TENANT, "Ivan")).containsExactly(CustomerId.of("c1"));
                assertThat(tx.markProcessed(TENANT, TG, "ЁЖ-E1", T0)).isTrue();
                return null;
            });
        }
    }

    /** InnoDB's default is REPEATABLE READ; the store's transactions must run at READ COMMITTED (see MariaDbDialect). */
    @Test
    void storeTransactionsRunAtReadCommitted() throws Exception {
        JdbcConnectionPool single = MariaDbTestDatabase.pool(1);
        try (JdbcInboxStore store = JdbcInboxStore.builder().dataSource(single).schema(schema).build()) {
            store.inTransaction(tx -> tx.pendingOutboxCount());
            // the pool's one connection is the session the transaction ran on
            try (Connection c = single.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT @@tx_isolation")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("READ-COMMITTED");
            }
        } finally {
            single.dispose();
        }
    }

    @Test
    void aLeaseIsFreedWhenItsSessionDies() throws Exception {
        try (JdbcInboxStore nodeA = store();
             JdbcInboxStore nodeB = JdbcInboxStore.builder().dataSource(pool).schema(schema).autoMigrate(false).build()) {
            Lease lease = nodeA.tryAcquireLease("poll:tg", "node-a").orElseThrow();
            assertThat(nodeB.tryAcquireLease("poll:tg", "node-b")).isEmpty();
            // Kill node A's session the way a crashed process or a dropped connection would.
            String lockName = SessionLockLeases.lockName(schema + "/poll:tg");
            try (Connection admin = pool.getConnection(); Statement s = admin.createStatement()) {
                long holder;
                try (ResultSet rs = s.executeQuery("SELECT IS_USED_LOCK('" + lockName + "')")) {
                    rs.next();
                    holder = rs.getLong(1);
                }
                assertThat(holder).isPositive();
                s.execute("KILL CONNECTION " + holder);
                // KILL only marks the session: it ends, and frees its named locks, a moment later on the server's
                // side (longer on a loaded machine). Wait, bounded, for the server to free the lock, which must happen
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    try (ResultSet rs = s.executeQuery("SELECT IS_USED_LOCK('" + lockName + "')")) {
                        rs.next();
                        return rs.getObject(1) == null;
                    }
                });
            }
            assertThat(lease.isHeld()).isFalse();
            Optional<Lease> takenOver = nodeB.tryAcquireLease("poll:tg", "node-b");
            assertThat(takenOver).isPresent();
            assertThat(takenOver.get().isHeld()).isTrue();
            takenOver.get().release();
        }
    }

    @Test
    void theDialectIsDetectedFromTheProductNameOrNamedOnTheBuilder() {
        assertThat(Dialect.forProduct("MariaDB")).containsSame(MariaDbDialect.INSTANCE);
        assertThat(Dialect.forProduct("MySQL")).containsSame(MariaDbDialect.INSTANCE);
        assertThat(Dialect.forProduct("PostgreSQL")).containsSame(PostgresDialect.INSTANCE);
        assertThat(Dialect.forProduct("H2")).containsSame(H2Dialect.INSTANCE);
        assertThat(Dialect.forProduct("Oracle")).isEmpty();
        try (JdbcInboxStore named = JdbcInboxStore.builder().dataSource(pool).schema(schema)
                .database(JdbcInboxStore.Database.MARIADB).build()) {
            assertThat(named.databaseKind()).isEqualTo("mariadb");
        }
    }
}
