package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.model.ChannelType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Bad configuration fails the start naming the property; secrets stay secret; channels report health. */
@ExtendWith(OutputCaptureExtension.class)
class SwitchboardConfigurationTest {
    static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class,
                    SwitchboardHealthAutoConfiguration.class, SwitchboardActuatorAutoConfiguration.class));

    private static String failure(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable t = context.getStartupFailure();
        while (t != null && !(t instanceof SwitchboardConfigurationException)) {
            t = t.getCause();
        }
        assertThat(t).as("a SwitchboardConfigurationException in %s", context.getStartupFailure()).isNotNull();
        FailureAnalysis analysis = new SwitchboardConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).isNotNull();
        return analysis.getDescription();
    }

    @Test
    void anUnknownChannelTypeIsNamedWithItsProperty() {
        runner.withPropertyValues("switchboard.tenants[0].id=default",
                        "switchboard.tenants[0].channels[0].id=chat", "switchboard.tenants[0].channels[0].type=whatsapp")
                .run(context -> assertThat(failure(context)).contains(
                        "switchboard.tenants[0].channels[0].type: unknown channel type 'whatsapp'",
                        "known types: [email, telegram, viber, vk]"));
    }

    @Test
    void aMissingTokenIsNamedWithItsProperty() {
        runner.withPropertyValues("switchboard.tenants[0].id=default",
                        "switchboard.tenants[0].channels[0].id=bot", "switchboard.tenants[0].channels[0].type=telegram")
                .run(context -> assertThat(failure(context)).contains(
                        "switchboard.tenants[0].channels[0].telegram.bot-token: is required"));
    }

    @Test
    void aTenantDeclaredTwiceIsNamedAndEveryProblemIsReportedAtOnce() {
        runner.withPropertyValues("switchboard.tenants[0].id=acme",
                        "switchboard.tenants[1].id=acme",
                        "switchboard.tenants[2].id=shop",
                        "switchboard.tenants[2].channels[0].id=mail",
                        "switchboard.tenants[2].channels[0].type=email",
                        "switchboard.tenants[2].channels[1].id=mail",
                        "switchboard.tenants[2].channels[1].type=telegram")
                .run(context -> assertThat(failure(context)).contains(
                        "switchboard.tenants[1].id: tenant 'acme' is declared twice (also at switchboard.tenants[0])",
                        "switchboard.tenants[2].channels[0].email.address: is required",
                        "switchboard.tenants[2].channels[0].email.imap.host: is required",
                        "switchboard.tenants[2].channels[1].id: channel 'mail' is declared twice"));
    }

    @Test
    void aMalformedTokenFailsWithoutShowingIt(CapturedOutput output) {
        runner.withPropertyValues("switchboard.tenants[0].id=default",
                        "switchboard.tenants[0].channels[0].id=bot", "switchboard.tenants[0].channels[0].type=telegram",
                        "switchboard.tenants[0].channels[0].telegram.bot-token=not-a-token-but-secret-xyz")
                .run(context -> assertThat(failure(context)).contains("switchboard.tenants[0].channels[0].telegram")
                        .doesNotContain("secret-xyz"));
        assertThat(output.getAll()).doesNotContain("secret-xyz");
    }

    @Test
    void jdbcWithoutADataSourceIsNamed() {
        runner.withPropertyValues("switchboard.store.type=jdbc")
                .run(context -> assertThat(failure(context)).contains("switchboard.store.type: is JDBC but the"
                        + " application has no single DataSource"));
    }

    @Test
    void anUnreachableDatabaseFailsTheStartNamingTheStore() {
        runner.withConfiguration(AutoConfigurations.of(
                        org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/nothing",
                        "spring.datasource.username=nobody", "spring.datasource.hikari.connection-timeout=250")
                .run(context -> assertThat(failure(context)).contains("switchboard.store: the JDBC store cannot use"
                        + " the application's DataSource"));
    }

    @Test
    void twoTenantsWhoseChannelsWantTheSameWebhookPathAreRefused() {
        java.util.List<Channel> channels = java.util.List.of(
                webhookChannel("acme", "bot"), webhookChannel("shop", "bot"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebhookRoutes.of(channels, "", 1024,
                        (c, h) -> h))
                .isInstanceOf(SwitchboardConfigurationException.class)
                .hasMessageContaining("channels acme/bot and shop/bot both want the webhook path /webhooks/telegram/bot");
    }

    private static Channel webhookChannel(String tenant, String id) {
        return dev.switchboard.channel.telegram.TelegramChannel.builder()
                .tenant(dev.switchboard.model.TenantId.of(tenant)).id(dev.switchboard.model.ChannelId.of(id))
                .botToken(TOKEN).mode(dev.switchboard.channel.telegram.TelegramMode.webhook(
                        "https://example.com/webhooks/telegram/" + id, "s3cret")).build();
    }

    @Test
    void secretsAreMaskedInEnvAndConfigpropsEvenWhenValuesAreShown(CapturedOutput output) {
        runner.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
                        EnvironmentEndpointAutoConfiguration.class,
                        ConfigurationPropertiesReportEndpointAutoConfiguration.class))
                .withPropertyValues(                        "management.endpoints.jmx.exposure.include=*", "management.endpoints.web.exposure.include=*",
                        "management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always",
                        "switchboard.tenants[0].id=default",
                        "switchboard.tenants[0].channels[0].id=bot", "switchboard.tenants[0].channels[0].type=telegram",
                        "switchboard.tenants[0].channels[0].telegram.bot-token=" + TOKEN,
                        "switchboard.tenants[0].channels[0].telegram.api-base-url=http://127.0.0.1:9/",
                        "switchboard.tenants[0].channels[0].telegram.poll-timeout=1s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    EnvironmentEndpoint env = context.getBean(EnvironmentEndpoint.class);
                    var entry = env.environmentEntry("switchboard.tenants[0].channels[0].telegram.bot-token");
                    assertThat(String.valueOf(entry.getProperty().getValue())).isEqualTo("******");
                    // a non-secret is shown, so the masking above is the sanitizer's doing
                    assertThat(String.valueOf(env.environmentEntry("switchboard.tenants[0].channels[0].id")
                            .getProperty().getValue())).isEqualTo("bot");
                    String all = String.valueOf(env.environment(null).getPropertySources());
                    assertThat(all).doesNotContain(TOKEN.substring(10));

                    ConfigurationPropertiesReportEndpoint configprops =
                            context.getBean(ConfigurationPropertiesReportEndpoint.class);
                    String report = new com.fasterxml.jackson.databind.ObjectMapper()
                            .writeValueAsString(describe(configprops));
                    assertThat(report).contains("\"botToken\":\"******\"").contains("\"id\":\"bot\"")
                            .doesNotContain(TOKEN.substring(10));
                });
        assertThat(output.getAll()).doesNotContain(TOKEN.substring(10));
    }

    private static Object describe(ConfigurationPropertiesReportEndpoint endpoint) {
        var descriptor = endpoint.configurationPropertiesWithPrefix("switchboard");
        return descriptor.getContexts().values().stream().map(c -> c.getBeans().values().stream()
                .map(b -> Map.of("properties", b.getProperties())).toList()).toList();
    }

    @Test
    void aChannelThatCannotStartIsDownInHealthAndTheOthersRun() throws Exception {
        try (TelegramFake botApi = TelegramFake.builder().token(TOKEN).build()) {
            botApi.revokeToken(); // the Bot API refuses the token when the webhook is registered
            runner.withUserConfiguration(OneFakeChannel.class)
                    .withPropertyValues("switchboard.tenants[0].id=default",
                            "switchboard.tenants[0].channels[0].id=bot",
                            "switchboard.tenants[0].channels[0].type=telegram",
                            "switchboard.tenants[0].channels[0].telegram.bot-token=" + TOKEN,
                            "switchboard.tenants[0].channels[0].telegram.mode=webhook",
                            "switchboard.tenants[0].channels[0].telegram.webhook-url=https://shop.example/webhooks/telegram/bot",
                            "switchboard.tenants[0].channels[0].telegram.webhook-secret=s3cret",
                            "switchboard.tenants[0].channels[0].telegram.api-base-url=" + botApi.url())
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(SwitchboardInboxLifecycle.class).isRunning()).isTrue();
                        FakeChannel site = context.getBean(FakeChannel.class);
                        assertThat(site.isRunning()).isTrue();
                        site.receive("visitor", "still works").toCompletableFuture().get(30,
                                java.util.concurrent.TimeUnit.SECONDS);
                        assertThat(context.getBean(Inbox.class).quarantined(10)).isEmpty();

                        CompositeHealthContributor health = context.getBean("switchboardHealthContributor",
                                CompositeHealthContributor.class);
                        CompositeHealthContributor tenant = (CompositeHealthContributor) health.getContributor("default");
                        Health bot = ((HealthIndicator) tenant.getContributor("bot")).health();
                        assertThat(bot.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(bot.getDetails()).containsEntry("problem", "BAD_CREDENTIALS")
                                .containsEntry("type", "telegram");
                        assertThat(String.valueOf(bot.getDetails())).doesNotContain(TOKEN.substring(10));
                        Health other = ((HealthIndicator) tenant.getContributor("site")).health();
                        assertThat(other.getStatus()).isEqualTo(Status.UP);
                    });
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
