package dev.switchboard.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.spi.Lease;
import dev.switchboard.inbox.store.PostgresTestDatabase;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is specific to the JDBC store: zero-setup H2 files, configuration checks, migrations, PostgreSQL leases. */
class JdbcInboxStoreTest {

    @Test
    void anH2FileStoreKeepsItsDataAcrossReopening(@TempDir Path dir) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        try (JdbcInboxStore store = JdbcInboxStore.h2File(dir.resolve("db"))) {
            assertThat(store.databaseKind()).isEqualTo("h2");
            store.inTransaction(tx -> tx.markProcessed(TenantId.DEFAULT, ChannelId.of("tg"), "e1", at));
            store.inTransaction(tx -> tx.appendEvent(new InboxEvent(0, TenantId.DEFAULT,
                    InboxEvent.Type.CUSTOMER_CREATED, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), at)));
        }
        try (JdbcInboxStore reopened = JdbcInboxStore.h2File(dir.resolve("db"))) {
            boolean firstTime = reopened.inTransaction(tx -> tx.markProcessed(TenantId.DEFAULT, ChannelId.of("tg"), "e1", at));
            assertThat(firstTime).isFalse();
            long last = reopened.inTransaction(tx -> tx.lastEventSeq());
            assertThat(last).isEqualTo(1);
        }
    }

    @Test
    void databaseFailuresAreTransientAndDataFailuresAreNot(@TempDir Path dir) {
        try (JdbcInboxStore store = JdbcInboxStore.h2File(dir.resolve("db"))) {
            java.util.function.Function<String, Throwable> failure = state -> new JdbcStoreException("update failed",
                    new java.sql.SQLException("test", state));
            assertThat(store.isTransient(failure.apply("08006"))).as("connection lost").isTrue();
            assertThat(store.isTransient(failure.apply("40001"))).as("serialization failure").isTrue();
            assertThat(store.isTransient(failure.apply("57014"))).as("statement cancelled").isTrue();
            assertThat(store.isTransient(failure.apply("HYT00"))).as("H2 lock timeout").isTrue();
            assertThat(store.isTransient(new IllegalStateException("wrapped", failure.apply("53300")))).isTrue();
            assertThat(store.isTransient(new java.sql.SQLTransientConnectionException("pool timeout"))).isTrue();
            assertThat(store.isTransient(failure.apply("22001"))).as("value too long").isFalse();
            assertThat(store.isTransient(failure.apply("23502"))).as("not null violation").isFalse();
            assertThat(store.isTransient(new IllegalArgumentException("bad id"))).isFalse();
        }
    }

    @Test
    void configurationIsCheckedAtBuild() {
        assertThatThrownBy(() -> JdbcInboxStore.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("dataSource");
        assertThatThrownBy(() -> JdbcInboxStore.builder().schema("bad; drop table x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
    }

    @Test
    void withoutAutoMigrationTheHostAppliesTheShippedScriptItself(@TempDir Path dir) throws Exception {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("x"), "sa", "");
        try {
            String ddl = new String(JdbcInboxStore.class.getResourceAsStream(
                    "/db/switchboard/h2/V1__switchboard_schema.sql").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute(ddl);
            }
            try (JdbcInboxStore store = JdbcInboxStore.builder().dataSource(pool).autoMigrate(false).build()) {
                long pending = store.inTransaction(tx -> tx.pendingOutboxCount());
                assertThat(pending).isZero();
            }
        } finally {
            pool.dispose();
        }
    }

    @Test
    void aPostgresLeaseIsFreedWhenItsSessionDies() throws Exception {
        PostgresTestDatabase.assumeAvailable();
        JdbcConnectionPool pool = PostgresTestDatabase.pool(6);
        String schema = PostgresTestDatabase.newSchema("lease");
        try (JdbcInboxStore nodeA = JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
             JdbcInboxStore nodeB = JdbcInboxStore.builder().dataSource(pool).schema(schema).autoMigrate(false).build()) {
            assertThat(nodeA.databaseKind()).isEqualTo("postgresql");
            Lease lease = nodeA.tryAcquireLease("poll:tg", "node-a").orElseThrow();
            assertThat(nodeB.tryAcquireLease("poll:tg", "node-b")).isEmpty();
            // Kill node A's session the way a crashed process or a dropped connection would.
            try (Connection admin = pool.getConnection(); Statement s = admin.createStatement()) {
                // only this lease's session: other test runs on the same server hold leases of their own
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = "
                        + Integer.toUnsignedLong(SessionLockLeases.POSTGRES_NAMESPACE) + " AND objid = hashtext('"
                        + schema + "/poll:tg')::oid AND pid <> pg_backend_pid()");
            }
            assertThat(lease.isHeld()).isFalse();
            Optional<Lease> takenOver = nodeB.tryAcquireLease("poll:tg", "node-b");
            assertThat(takenOver).isPresent();
            assertThat(takenOver.get().isHeld()).isTrue();
            takenOver.get().release();
        } finally {
            pool.dispose();
            PostgresTestDatabase.dropSchema(schema);
        }
    }
}
