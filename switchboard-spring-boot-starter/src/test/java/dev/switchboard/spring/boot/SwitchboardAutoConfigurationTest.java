package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.Channel;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.micrometer.SwitchboardMetrics;
import dev.switchboard.model.ChannelType;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration matrix: which store, which beans back off, what metrics and Flyway do. */
class SwitchboardAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class,
                    SwitchboardMetricsAutoConfiguration.class));

    private static String h2Url() {
        return "spring.datasource.url=jdbc:h2:mem:sb-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL";
    }

    @Test
    void withoutADataSourceTheInboxUsesTheInMemoryStoreAndStarts() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(Inbox.class).hasSingleBean(IdentityEngine.class)
                    .hasSingleBean(OutboxSettings.class);
            assertThat(context.getBean(InboxStore.class)).isInstanceOf(InMemoryInboxStore.class);
            assertThat(context.getBean(SwitchboardInboxLifecycle.class).isRunning()).isTrue();
            assertThat(context).doesNotHaveBean(SwitchboardMetrics.class); // no MeterRegistry here
        });
    }

    @Test
    void disabledMeansNoInbox() {
        runner.withPropertyValues("switchboard.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(Inbox.class).doesNotHaveBean(InboxStore.class));
    }

    @Test
    void theApplicationsDataSourceGivesTheJdbcStoreWhichMigratesItselfWithoutFlyway() {
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues(h2Url())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(InboxStore.class)).isInstanceOf(JdbcInboxStore.class);
                    DataSource ds = context.getBean(DataSource.class);
                    assertThat(count(ds, "SELECT COUNT(*) FROM \"switchboard_schema_history\" WHERE \"success\"")).isPositive();
                });
    }

    @Test
    void withTheApplicationsFlywayTheScriptsRunOnceAfterTheApplicationsOwnAndNeverInItsHistory() {
        String url = h2Url();
        ApplicationContextRunner withFlyway = runner
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        FlywayAutoConfiguration.class))
                .withPropertyValues(url, "spring.flyway.locations=classpath:app-migrations");
        long[] first = new long[1];
        withFlyway.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SwitchboardFlywayMigration.class);
            DataSource ds = context.getBean(DataSource.class);
            // the application's history holds only its own script
            assertThat(count(ds, "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"script\" LIKE '%switchboard%'"))
                    .isZero();
            assertThat(count(ds, "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"script\" = 'V1__app_orders.sql'"))
                    .isEqualTo(1);
            first[0] = count(ds, "SELECT COUNT(*) FROM \"switchboard_schema_history\"");
            assertThat(count(ds, "SELECT COUNT(*) FROM \"switchboard_schema_history\" WHERE \"script\" = 'V1__switchboard_schema.sql'"))
                    .isEqualTo(1);
            // the store works on the migrated tables
            assertThat(context.getBean(Inbox.class).pendingOutboxCount()).isZero();
        });
        // a restart on the same database applies nothing again
        withFlyway.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(count(context.getBean(DataSource.class), "SELECT COUNT(*) FROM \"switchboard_schema_history\""))
                    .isEqualTo(first[0]);
        });
    }

    @Test
    void migrationNoneLeavesTheSchemaToTheApplication() {
        String url = h2Url();
        // the application applies the shipped scripts with its own tooling, under its own history table
        org.flywaydb.core.Flyway.configure().dataSource(url.substring("spring.datasource.url=".length()), "sa", "")
                .locations("classpath:db/switchboard/h2").table("host_managed_history").load().migrate();
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues(url, "spring.datasource.username=sa", "switchboard.store.migration=none")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DataSource ds = context.getBean(DataSource.class);
                    assertThat(count(ds, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) ="
                            + " 'switchboard_schema_history'")).isZero();
                });
    }

    @Test
    void storeTypeMemoryIgnoresTheDataSource() {
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues(h2Url(), "switchboard.store.type=memory")
                .run(context -> assertThat(context.getBean(InboxStore.class)).isInstanceOf(InMemoryInboxStore.class));
    }

    @Test
    void theApplicationsOwnBeansWin() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context.getBean(InboxStore.class)).isSameAs(OwnBeans.STORE);
            assertThat(context.getBean(IdentityEngine.class)).isSameAs(context.getBean("myIdentity"));
            Inbox inbox = context.getBean(Inbox.class);
            assertThat(inbox.channels()).extracting(Channel::id).extracting(id -> id.value()).containsExactly("site");
            assertThat(inbox.nodeId()).isEqualTo("node-from-customizer");
        });
    }

    @Test
    void propertiesConfigureTheInbox() {
        runner.withPropertyValues("switchboard.node-id=node-7", "switchboard.outbox.workers=3",
                        "switchboard.outbox.max-attempts=9", "switchboard.identity.default-region=DE")
                .run(context -> {
                    assertThat(context.getBean(Inbox.class).nodeId()).isEqualTo("node-7");
                    assertThat(context.getBean(OutboxSettings.class).workers()).isEqualTo(3);
                    assertThat(context.getBean(OutboxSettings.class).maxAttempts()).isEqualTo(9);
                });
    }

    @Test
    void withAMeterRegistryTheInboxReportsToMicrometer() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, ObservationAutoConfiguration.class))
                .withUserConfiguration(OneFakeChannel.class)
                .withPropertyValues("switchboard.metrics.tenant-tags=true")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SwitchboardMetrics.class);
                    assertThat(context.getBean(SwitchboardMetrics.class).tenantTags()).isTrue();
                    FakeChannel site = context.getBean(FakeChannel.class);
                    site.receive("visitor-1", "hello").toCompletableFuture().get(30, TimeUnit.SECONDS);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    await().atMost(Duration.ofSeconds(30)).until(() -> meters.find("switchboard.ingest.latency")
                            .tags("channel", "site", "tenant", "default").timer() != null);
                    assertThat(meters.find("switchboard.outbox.pending").gauge()).isNotNull();
                });
    }

    @Test
    void withoutTheMicrometerModuleOrARegistryThereAreNoMetrics() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class))
                .withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(SwitchboardMetrics.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Inbox.class);
                    assertThat(context).doesNotHaveBean("switchboardMetrics");
                });
    }

    @Test
    void configurationMetadataIsGeneratedForIdeCompletion() throws Exception {
        try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("spring-configuration-metadata.json on the classpath").isNotNull();
            String metadata = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(metadata).contains("\"switchboard.store.migration\"", "\"switchboard.tenants\"",
                    "\"switchboard.metrics.tenant-tags\"", "Whether meters and observations carry a tenant tag",
                    "\"switchboard.endpoints.sse-heartbeat\"", "\"switchboard.endpoints.sse-timeout\"");
        }
    }

    static long count(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final InboxStore STORE = new InMemoryInboxStore();

        @Bean
        InboxStore myStore() {
            return STORE;
        }

        @Bean
        IdentityEngine myIdentity() {
            return IdentityEngine.builder().build();
        }

        @Bean
        Channel site() {
            return FakeChannel.of("site", ChannelType.WEBCHAT);
        }

        @Bean
        InboxBuilderCustomizer nodeName() {
            return b -> b.nodeId("node-from-customizer");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OneFakeChannel {
        @Bean
        FakeChannel site() {
            return FakeChannel.of("site", ChannelType.WEBCHAT);
        }
    }
}
