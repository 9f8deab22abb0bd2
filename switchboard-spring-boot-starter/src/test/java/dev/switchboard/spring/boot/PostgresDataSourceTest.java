package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The store from the application's DataSource on PostgreSQL (127.0.0.1:5432, database {@code switchboard_test}, user
 * {@code postgres}, a schema of this test's own as the connection's current schema, dropped after it): the dialect is
 * detected from the connection, the PostgreSQL scripts run once (through the application's Flyway when it has one,
 * never in the application's history) and a received message is stored. Skipped with a visible message when
 * PostgreSQL is unreachable, except under {@code CI=true} where it fails (as the PostgreSQL suites of
 * unified-inbox-jdbc do). Override the server with {@code SWITCHBOARD_PG_URL}, {@code SWITCHBOARD_PG_USER}.
 */
class PostgresDataSourceTest {
    private static final Logger log = LoggerFactory.getLogger(PostgresDataSourceTest.class);
    private static final String SERVER = env("SWITCHBOARD_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/switchboard_test");
    private static final String USER = env("SWITCHBOARD_PG_USER", "postgres");
    private static final String PASSWORD = "";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    SwitchboardAutoConfiguration.class));
    private String database;

    @BeforeEach
    void createDatabase() {
        database = "sb_starter_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER + "?connectTimeout=3", USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + database);
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at " + SERVER + " (" + e.getMessage() + ")";
            database = null;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message + ": PostgreSQL tests are required in CI (CI=true)");
            }
            log.warn("{}: SKIPPING the starter's PostgreSQL test", message);
            Assumptions.abort(message + ": skipped outside CI");
        }
    }

    @AfterEach
    void dropDatabase() {
        if (database == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(SERVER, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + database + " CASCADE");
        } catch (SQLException e) {
            log.warn("could not drop test database {}: {}", database, e.getMessage());
        }
    }

    private String[] dataSource() {
        return new String[] {"spring.datasource.url=" + SERVER + "?currentSchema=" + database,
                "spring.datasource.username=" + USER,
                "spring.datasource.password=" + PASSWORD};
    }

    @Test
    void theApplicationsPostgresGivesTheJdbcStoreWhichStoresAReceivedMessage() {
        runner.withPropertyValues(dataSource()).withUserConfiguration(SwitchboardAutoConfigurationTest.OneFakeChannel.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    InboxStore store = context.getBean(InboxStore.class);
                    assertThat(store).isInstanceOf(JdbcInboxStore.class);
                    assertThat(((JdbcInboxStore) store).databaseKind()).isEqualTo("postgresql");
                    DataSource ds = context.getBean(DataSource.class);
                    assertThat(SwitchboardAutoConfigurationTest.count(ds,
                            "SELECT COUNT(*) FROM switchboard_schema_history WHERE success")).isPositive();
                    assertThat(SwitchboardAutoConfigurationTest.count(ds, "SELECT COUNT(*) FROM"
                            + " information_schema.tables WHERE table_schema = '" + database + "'")).isPositive();

                    context.getBean(FakeChannel.class).receive("visitor-1", "привет 👋").toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);
                    Inbox inbox = context.getBean(Inbox.class);
                    await().atMost(Duration.ofSeconds(30)).until(() -> texts(inbox).contains("привет 👋"));
                });
    }

    @Test
    void withTheApplicationsFlywayThePostgresScriptsRunOnceAndNeverInItsHistory() {
        ApplicationContextRunner withFlyway = runner
                .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                .withPropertyValues(dataSource()).withPropertyValues("spring.flyway.locations=classpath:app-migrations");
        long[] applied = new long[1];
        withFlyway.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SwitchboardFlywayMigration.class);
            DataSource ds = context.getBean(DataSource.class);
            assertThat(SwitchboardAutoConfigurationTest.count(ds,
                    "SELECT COUNT(*) FROM flyway_schema_history WHERE script LIKE '%switchboard%'")).isZero();
            assertThat(SwitchboardAutoConfigurationTest.count(ds,
                    "SELECT COUNT(*) FROM flyway_schema_history WHERE script = 'V1__app_orders.sql'")).isEqualTo(1);
            applied[0] = SwitchboardAutoConfigurationTest.count(ds, "SELECT COUNT(*) FROM switchboard_schema_history");
            assertThat(applied[0]).isPositive();
            assertThat(context.getBean(Inbox.class).pendingOutboxCount()).isZero();
        });
        withFlyway.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(SwitchboardAutoConfigurationTest.count(context.getBean(DataSource.class),
                    "SELECT COUNT(*) FROM switchboard_schema_history")).as("a restart applies nothing again")
                    .isEqualTo(applied[0]);
        });
    }

    private static List<String> texts(Inbox inbox) {
        return inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items().stream()
                .flatMap(c -> inbox.messages(c.id()).stream()).map(m -> m.content().plainText()).toList();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
