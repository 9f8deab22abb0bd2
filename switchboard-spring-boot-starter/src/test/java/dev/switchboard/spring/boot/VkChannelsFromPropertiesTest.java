package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * VK communities declared per tenant in the application's properties: one receiving by Bots Long Poll (from the
 * published {@link VkFake}), one by the Callback API (its webhook path), a customer's message stored under its
 * tenant; missing settings named by property; the token and the callback secret masked in the actuator and absent
 * from the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class VkChannelsFromPropertiesTest {
    private static final String TOKEN = VkFake.TOKEN;
    private static final String SECRET = "callback-secret-xyz";
    private static final String P = "switchboard.tenants[0].channels[0]";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class,
                    SwitchboardActuatorAutoConfiguration.class));

    @Test
    void communitiesOfTwoTenantsFromPropertiesAndAMessageStoredUnderItsTenant(CapturedOutput output) throws Exception {
        try (VkFake vk = new VkFake(); VkFake shopVk = new VkFake()) {
            runner.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
                            EnvironmentEndpointAutoConfiguration.class,
                            ConfigurationPropertiesReportEndpointAutoConfiguration.class))
                    .withPropertyValues("management.endpoints.jmx.exposure.include=*",
                            "management.endpoints.web.exposure.include=*",
                            "management.endpoint.env.show-values=always",
                            "management.endpoint.configprops.show-values=always",
                            "switchboard.tenants[0].id=acme",
                            P + ".id=vk-main", P + ".type=vk", P + ".vk.group-id=" + VkFake.GROUP_ID,
                            P + ".vk.access-token=" + TOKEN, P + ".vk.api-base-url=" + vk.apiBaseUrl(),
                            P + ".vk.long-poll-wait=1s",
                            "switchboard.tenants[1].id=shop",
                            "switchboard.tenants[1].channels[0].id=vk-shop",
                            "switchboard.tenants[1].channels[0].type=VK",
                            "switchboard.tenants[1].channels[0].vk.group-id=229000002",
                            "switchboard.tenants[1].channels[0].vk.access-token=" + TOKEN,
                            "switchboard.tenants[1].channels[0].vk.mode=callback",
                            "switchboard.tenants[1].channels[0].vk.callback-secret=" + SECRET,
                            "switchboard.tenants[1].channels[0].vk.confirmation-code=a1b2c3d4",
                            "switchboard.tenants[1].channels[0].vk.api-base-url=" + shopVk.apiBaseUrl())
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        Inbox inbox = context.getBean(Inbox.class);
                        assertThat(inbox.channels()).extracting(c -> c.tenant().value() + "/" + c.id().value()
                                + "/" + c.capabilities().receiveMode())
                                .containsExactlyInAnyOrder("acme/vk-main/POLLING", "shop/vk-shop/WEBHOOK");
                        Channel shop = inbox.channels().stream().filter(c -> c.id().value().equals("vk-shop"))
                                .findFirst().orElseThrow();
                        assertThat(shop.webhook()).map(h -> h.path()).contains("/webhooks/vk/vk-shop");

                        // As on VK, a long poll session sees the events after it began: wait for the first one.
                        await().atMost(Duration.ofSeconds(30)).until(() -> vk.longPollSessions() > 0);
                        vk.deliverText(VkFake.KNOWN_RECIPIENT, "", "здравствуйте");
                        await().atMost(Duration.ofSeconds(30)).until(() -> texts(inbox, "acme")
                                .contains("здравствуйте"));
                        assertThat(texts(inbox, "shop")).isEmpty();

                        EnvironmentEndpoint env = context.getBean(EnvironmentEndpoint.class);
                        assertThat(String.valueOf(env.environmentEntry(P + ".vk.access-token").getProperty()
                                .getValue())).isEqualTo("******");
                        assertThat(String.valueOf(env.environmentEntry(
                                "switchboard.tenants[1].channels[0].vk.callback-secret").getProperty().getValue()))
                                .isEqualTo("******");
                        String report = new ObjectMapper().writeValueAsString(context
                                .getBean(ConfigurationPropertiesReportEndpoint.class)
                                .configurationPropertiesWithPrefix("switchboard").getContexts().values().stream()
                                .map(c -> c.getBeans().values().stream().map(b -> Map.of("p", b.getProperties()))
                                        .toList()).toList());
                        assertThat(report).contains("\"accessToken\":\"******\"", "\"callbackSecret\":\"******\"",
                                "\"groupId\":229000002").doesNotContain(TOKEN, SECRET);
                    });
        }
        assertThat(output.getAll()).doesNotContain(TOKEN, SECRET);
    }

    @Test
    void missingSettingsAreNamedByProperty() {
        SwitchboardProperties.ChannelProperties c = new SwitchboardProperties.ChannelProperties();
        c.getVk().setMode(VkProperties.VkReceive.CALLBACK);
        assertThatThrownBy(() -> new VkChannelFactory().create(TenantId.DEFAULT, ChannelId.of("vk"), c, P))
                .isInstanceOfSatisfying(SwitchboardConfigurationException.class, ex -> assertThat(ex.problems())
                        .containsExactly(P + ".vk.group-id: is required for a vk channel (the community's positive id)",
                                P + ".vk.access-token: is required for a vk channel (a community access token)",
                                P + ".vk.callback-secret: is required in CALLBACK mode (the Callback API secret key)"));
    }

    @Test
    void aBadValueIsNamedWithoutShowingTheToken() {
        SwitchboardProperties.ChannelProperties c = new SwitchboardProperties.ChannelProperties();
        c.getVk().setGroupId(-5L);
        c.getVk().setAccessToken("short secret");
        assertThatThrownBy(() -> new VkChannelFactory().create(TenantId.DEFAULT, ChannelId.of("vk"), c, P))
                .isInstanceOf(SwitchboardConfigurationException.class)
                .hasMessageContaining(P + ".vk.*").hasMessageContaining("groupId")
                .hasMessageNotContaining("short secret");
    }

    @Test
    void longPollIsTheDefault() {
        SwitchboardProperties.ChannelProperties c = new SwitchboardProperties.ChannelProperties();
        c.getVk().setGroupId(1L);
        c.getVk().setAccessToken(TOKEN);
        Channel channel = new VkChannelFactory().create(TenantId.of("acme"), ChannelId.of("vk"), c, P);
        assertThat(channel.capabilities().receiveMode()).isEqualTo(ReceiveMode.POLLING);
        assertThat(channel.webhook()).isEmpty();
        assertThat(List.of(channel.toString())).allSatisfy(s -> assertThat(s).doesNotContain(TOKEN));
    }

    private static List<String> texts(Inbox inbox, String tenant) {
        return inbox.conversations(ConversationQuery.all(TenantId.of(tenant), 10)).items().stream()
                .flatMap(c -> inbox.messages(TenantId.of(tenant), c.id()).stream())
                .map(m -> m.content().plainText()).toList();
    }
}
