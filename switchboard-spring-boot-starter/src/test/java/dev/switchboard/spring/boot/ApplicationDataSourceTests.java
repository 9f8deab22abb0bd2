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
 * The store from the application's DataSource on a real database server (a subclass per database, each in a schema or
 * database of its own, dropped after it): the dialect is detected from the connection, the database's scripts run once
 * (through the application's Flyway when it has one, never in the application's history) and a received message is
 * stored. Skipped with a visible message when the server is unreachable, except under {@code CI=true} where it fails
 * (as the database suites of unified-inbox-jdbc do).
 */
abstract class ApplicationDataSourceTests {
    private static final Logger log = LoggerFactory.getLogger(ApplicationDataSourceTests.class);
    private final String server = server();
    private final String user = user();
    private final String password = password();

    /** The database's name in messages ("PostgreSQL"). */
    abstract String databaseName();

    /** The server's JDBC URL (what {@link #dataSourceUrl} builds on). */
    abstract String server();

    abstract String user();

    abstract String password();

    /** A connection parameter that bounds the connect attempt, appended to {@link #server()}. */
    abstract String connectTimeoutParameter();

    /** The statement creating the test's own schema or database {@code name}. */
    abstract String createSql(String name);

    /** The statement dropping it. */
    abstract String dropSql(String name);

    /** The application's DataSource URL for schema or database {@code name}. */
    abstract String dataSourceUrl(String name);

    /** What {@code JdbcInboxStore.databaseKind()} says on this database. */
    abstract String databaseKind();

    /** A query counting the switchboard tables created in {@code name}, as this database should create them. */
    abstract String tablesQuery(String name);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    SwitchboardAutoConfiguration.class));
    private String database;

    @BeforeEach
    void createDatabase() {
        database = "sb_starter_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(server + connectTimeoutParameter(), user, password);
             Statement s = c.createStatement()) {
            s.execute(createSql(database));
        } catch (SQLException e) {
            String message = databaseName() + " not reachable at " + server + " (" + e.getMessage() + ")";
            database = null;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message + ": " + databaseName() + " tests are required in CI (CI=true)");
            }
            log.warn("{}: SKIPPING the starter's {} test", message, databaseName());
            Assumptions.abort(message + ": skipped outside CI");
        }
    }

    @AfterEach
    void dropDatabase() {
        if (database == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(server, user, password); Statement s = c.createStatement()) {
            s.execute(dropSql(database));
        } catch (SQLException e) {
            log.warn("could not drop test database {}: {}", database, e.getMessage());
        }
    }

    private String[] dataSource() {
        return new String[] {"spring.datasource.url=" + dataSourceUrl(database),
                "spring.datasource.username=" + user,
                "spring.datasource.password=" + password};
    }

    @Test
    void theApplicationsDatabaseGivesTheJdbcStoreWhichStoresAReceivedMessage() {
        runner.withPropertyValues(dataSource()).withUserConfiguration(SwitchboardAutoConfigurationTest.OneFakeChannel.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    InboxStore store = context.getBean(InboxStore.class);
                    assertThat(store).isInstanceOf(JdbcInboxStore.class);
                    assertThat(((JdbcInboxStore) store).databaseKind()).isEqualTo(databaseKind());
                    DataSource ds = context.getBean(DataSource.class);
                    assertThat(SwitchboardAutoConfigurationTest.count(ds,
                            "SELECT COUNT(*) FROM switchboard_schema_history WHERE success")).isPositive();
                    assertThat(SwitchboardAutoConfigurationTest.count(ds, tablesQuery(database))).isPositive();

                    context.getBean(FakeChannel.class).receive("visitor-1", "привет 👋").toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);
                    Inbox inbox = context.getBean(Inbox.class);
                    await().atMost(Duration.ofSeconds(30)).until(() -> texts(inbox).contains("привет 👋"));
                });
    }

    @Test
    void withTheApplicationsFlywayTheScriptsRunOnceAndNeverInItsHistory() {
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

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
