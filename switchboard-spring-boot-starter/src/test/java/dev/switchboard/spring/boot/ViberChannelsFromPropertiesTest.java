package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.SendCost;
import dev.switchboard.channel.state.StatefulChannel;
import dev.switchboard.channel.viber.ViberChannel;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Viber bots declared per tenant in the application's properties: booted on a real servlet server, the webhook is
 * mounted at {@code /webhooks/viber/<channel id>} under the path prefix and registered at start, a signed callback
 * from the published {@link ViberFake} lands in the inbox under its tenant, the welcome text answers
 * {@code conversation_started}, the send cost reaches the inbox; missing settings fail the start named by property;
 * the auth token is masked in the actuator and absent from the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class ViberChannelsFromPropertiesTest {
    private static final String TOKEN = ViberFake.TOKEN;
    private static final String P = "switchboard.tenants[0].channels[0]";
    private static final String PUBLIC_URL = "https://bot.example.com/api/webhooks/viber/viber-main";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class,
                    SwitchboardActuatorAutoConfiguration.class));

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @Test
    void aSignedCallbackReachesTheInboxThroughTheApplicationsServer(CapturedOutput output) throws Exception {
        try (ViberFake viber = new ViberFake()) {
            // Viber cannot reach a test's https URL: the fake delivers to the application's port instead, which is
            // known once the web server started (before the inbox and its channels start)
            ApplicationListener<WebServerInitializedEvent> localCallbacks = e -> viber.pushTo("http://127.0.0.1:"
                    + e.getWebServer().getPort() + "/api/webhooks/viber/viber-main");
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                    .listeners(new LocalCallbacks(localCallbacks))
                    .properties("server.port=0", "switchboard.store.type=memory", "spring.flyway.enabled=false",
                            "management.endpoints.web.exposure.include=env,configprops",
                            "management.endpoint.env.show-values=always",
                            "management.endpoint.configprops.show-values=always",
                            "switchboard.webhooks.path-prefix=/api",
                            "switchboard.tenants[0].id=acme",
                            P + ".id=viber-main", P + ".type=viber", P + ".viber.auth-token=" + TOKEN,
                            P + ".viber.sender-name=Acme Support", P + ".viber.api-base-url=" + viber.apiBaseUrl(),
                            P + ".viber.webhook-url=" + PUBLIC_URL,
                            P + ".viber.welcome-text=Hello! How can we help?",
                            "switchboard.tenants[1].id=shop",
                            "switchboard.tenants[1].channels[0].id=viber-shop",
                            "switchboard.tenants[1].channels[0].type=Viber",
                            "switchboard.tenants[1].channels[0].viber.auth-token=" + TOKEN,
                            "switchboard.tenants[1].channels[0].viber.sender-name=Shop",
                            "switchboard.tenants[1].channels[0].viber.api-base-url=" + viber.apiBaseUrl())
                    .run()) {
                Inbox inbox = context.getBean(Inbox.class);
                assertThat(inbox.channels()).extracting(c -> c.tenant().value() + "/" + c.id().value() + "/"
                        + c.capabilities().receiveMode() + "/" + c.webhook().orElseThrow().path())
                        .containsExactlyInAnyOrder("acme/viber-main/WEBHOOK//webhooks/viber/viber-main",
                                "shop/viber-shop/WEBHOOK//webhooks/viber/viber-shop");

                // set_webhook at start: the fake checked the URL with a signed event the application answered 200
                await().atMost(Duration.ofSeconds(30)).until(() -> viber.webhookUrl().equals(Optional.of(PUBLIC_URL)));

                assertThat(viber.startConversation("new-user-1=", "Ann", Optional.empty())).isPresent();
                assertThat(viber.welcomes()).extracting(ViberFake.Delivered::text)
                        .containsExactly("Hello! How can we help?");

                viber.deliverText(ViberFake.KNOWN_RECIPIENT, "Known Customer", "привет");
                await().atMost(Duration.ofSeconds(30)).until(() -> texts(inbox, "acme").contains("привет"));
                assertThat(texts(inbox, "shop")).isEmpty();

                // the channel as the inbox runs it: its state bound, the commercial terms' cost visible
                Channel main = inbox.channels().stream().filter(c -> c.id().value().equals("viber-main"))
                        .findFirst().orElseThrow();
                assertThat(main.sendCost(account("viber-main", ViberFake.KNOWN_RECIPIENT)))
                        .isEqualTo(SendCost.SESSION);
                assertThat(main.sendCost(account("viber-main", "never-wrote="))).isEqualTo(SendCost.PAID);
                assertThat(main).isInstanceOf(StatefulChannel.class);

                EnvironmentEndpoint env = context.getBean(EnvironmentEndpoint.class);
                assertThat(String.valueOf(env.environmentEntry(P + ".viber.auth-token").getProperty().getValue()))
                        .isEqualTo("******");
                assertThat(String.valueOf(env.environmentEntry(P + ".viber.sender-name").getProperty().getValue()))
                        .isEqualTo("Acme Support");
                String report = new ObjectMapper().writeValueAsString(context
                        .getBean(ConfigurationPropertiesReportEndpoint.class)
                        .configurationPropertiesWithPrefix("switchboard").getContexts().values().stream()
                        .map(c -> c.getBeans().values().stream().map(b -> Map.of("p", b.getProperties()))
                                .toList()).toList());
                assertThat(report).contains("\"authToken\":\"******\"", "\"senderName\":\"Acme Support\"")
                        .doesNotContain(TOKEN);
            }
        }
        assertThat(output.getAll()).doesNotContain(TOKEN);
    }

    @Test
    void aMissingAuthTokenOrSenderNameFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("switchboard.tenants[0].id=acme", P + ".id=viber-main", P + ".type=viber")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable t = context.getStartupFailure();
                    while (t != null && !(t instanceof SwitchboardConfigurationException)) {
                        t = t.getCause();
                    }
                    assertThat(t).isInstanceOfSatisfying(SwitchboardConfigurationException.class,
                            ex -> assertThat(ex.problems()).containsExactly(
                                    P + ".viber.auth-token: is required for a viber channel (the bot's"
                                            + " authentication token)",
                                    P + ".viber.sender-name: is required for a viber channel (the name shown on"
                                            + " every message, at most 28 characters)"));
                });
        runner.withPropertyValues("switchboard.tenants[0].id=acme", P + ".id=viber-main", P + ".type=viber",
                        P + ".viber.sender-name=Acme")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining(P + ".viber.auth-token: is required")
                        .hasMessageNotContaining("sender-name"));
    }

    @Test
    void aBadValueIsNamedWithoutShowingTheToken() {
        SwitchboardProperties.ChannelProperties c = new SwitchboardProperties.ChannelProperties();
        c.getViber().setAuthToken(TOKEN);
        c.getViber().setSenderName("A sender name longer than 28 chars");
        assertThatThrownBy(() -> new ViberChannelFactory().create(TenantId.DEFAULT, ChannelId.of("viber"), c, P))
                .isInstanceOf(SwitchboardConfigurationException.class)
                .hasMessageContaining(P + ".viber.*").hasMessageContaining("senderName")
                .hasMessageNotContaining(TOKEN);

        c.getViber().setSenderName("Acme");
        c.getViber().setWebhookUrl("http://bot.example.com/webhooks/viber/viber");
        assertThatThrownBy(() -> new ViberChannelFactory().create(TenantId.DEFAULT, ChannelId.of("viber"), c, P))
                .isInstanceOf(SwitchboardConfigurationException.class)
                .hasMessageContaining(P + ".viber.*").hasMessageContaining("webhookUrl")
                .hasMessageNotContaining(TOKEN);

        c.getViber().setWebhookUrl(null);
        c.getViber().setAuthToken("too short");
        assertThatThrownBy(() -> new ViberChannelFactory().create(TenantId.DEFAULT, ChannelId.of("viber"), c, P))
                .isInstanceOf(SwitchboardConfigurationException.class)
                .hasMessageContaining(P + ".viber.*").hasMessageContaining("authToken")
                .hasMessageNotContaining("too short");
    }

    @Test
    void propertiesReachTheChannel() {
        SwitchboardProperties.ChannelProperties c = new SwitchboardProperties.ChannelProperties();
        c.getViber().setAuthToken(" " + TOKEN + " ");
        c.getViber().setSenderName("Acme");
        ViberChannel defaults = (ViberChannel) new ViberChannelFactory().create(TenantId.of("acme"),
                ChannelId.of("viber"), c, P);
        assertThat(defaults.config().commercial()).isTrue();
        assertThat(defaults.config().sessionWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(defaults.config().webhookUrl()).isEmpty();
        assertThat(defaults.config().welcome()).isEmpty();
        assertThat(defaults.config().apiBaseUrl().toString()).isEqualTo("https://chatapi.viber.com/pa");
        assertThat(defaults.capabilities().receiveMode()).isEqualTo(ReceiveMode.WEBHOOK);
        assertThat(defaults.toString()).doesNotContain(TOKEN);

        c.getViber().setCommercial(false);
        c.getViber().setSessionWindow(Duration.ofHours(2));
        c.getViber().setRequestsPerSecond(5);
        c.getViber().setSenderAvatar("https://example.com/a.png");
        ViberChannel custom = (ViberChannel) new ViberChannelFactory().create(TenantId.of("acme"),
                ChannelId.of("viber"), c, P);
        assertThat(custom.config().commercial()).isFalse();
        assertThat(custom.config().sessionWindow()).isEqualTo(Duration.ofHours(2));
        assertThat(custom.config().requestsPerSecond()).isEqualTo(5);
        assertThat(custom.config().senderAvatar()).contains("https://example.com/a.png");
        assertThat(custom.sendCost(account("viber", "never-wrote="))).isEqualTo(SendCost.FREE);
    }

    private static ChannelAccount account(String channel, String user) {
        return ChannelAccount.of(TenantId.of("acme"), ChannelId.of(channel), user, Profile.EMPTY);
    }

    private static List<String> texts(Inbox inbox, String tenant) {
        return inbox.conversations(ConversationQuery.all(TenantId.of(tenant), 10)).items().stream()
                .flatMap(c -> inbox.messages(TenantId.of(tenant), c.id()).stream())
                .map(m -> m.content().plainText()).toList();
    }

    /** A typed listener (a lambda's event type cannot be resolved by Spring). */
    private record LocalCallbacks(ApplicationListener<WebServerInitializedEvent> delegate)
            implements ApplicationListener<WebServerInitializedEvent> {
        @Override
        public void onApplicationEvent(WebServerInitializedEvent event) {
            delegate.onApplicationEvent(event);
        }
    }
}
