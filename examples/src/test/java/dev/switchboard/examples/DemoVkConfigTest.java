package dev.switchboard.examples;

import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.model.AccountKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The demo's real-VK configuration: {@code VK_GROUP_ID}/{@code VK_TOKEN} select Bots Long Poll, {@code VK_SECRET}
 * (with {@code VK_CONFIRMATION}) the Callback API on the demo's own server; inconsistent variables are named. The
 * "real" community here is the VK fake reached through {@code VK_API_URL}, so the live wiring runs offline.
 */
class DemoVkConfigTest {

    @TempDir
    Path dataDir;

    @Test
    void groupIdAndTokenSelectLongPollAndTheSecretSelectsTheCallbackApi() {
        DemoConfig longPoll = DemoConfig.fromEnvironment(Map.of("VK_GROUP_ID", "club229000001", "VK_TOKEN", "vk1.a.t"));
        assertThat(longPoll.vk()).hasValueSatisfying(v -> {
            assertThat(v.groupId()).isEqualTo(229_000_001L);
            assertThat(v.callback()).isFalse();
            assertThat(v.apiBaseUrl()).isEqualTo("https://api.vk.ru/method");
        });
        DemoConfig callback = DemoConfig.fromEnvironment(Map.of("VK_GROUP_ID", "229000001", "VK_TOKEN",
                "vk1.a.secret-token", "VK_SECRET", "s3cret-key", "VK_CONFIRMATION", "a1b2c3d4"));
        assertThat(callback.vk()).hasValueSatisfying(v -> {
            assertThat(v.callback()).isTrue();
            assertThat(v.confirmationCode()).contains("a1b2c3d4");
            assertThat(v.toString()).doesNotContain("vk1.a.secret-token", "s3cret-key");
        });
        assertThat(DemoConfig.fromEnvironment(Map.of()).vk()).isEmpty();
    }

    @Test
    void inconsistentVkVariablesAreNamed() {
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(Map.of("VK_TOKEN", "vk1.a.never-shown")))
                .hasMessageContaining("VK_GROUP_ID").hasMessageNotContaining("vk1.a.never-shown");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(Map.of("VK_GROUP_ID", "1", "VK_TOKEN", "t",
                "VK_CONFIRMATION", "a1b2c3d4"))).hasMessageContaining("VK_SECRET");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(Map.of("VK_GROUP_ID", "shop", "VK_TOKEN", "t")))
                .hasMessageContaining("VK_GROUP_ID must be the community's number");
        assertThatThrownBy(() -> DemoConfig.builder().vk(new DemoConfig.VkSettings(0, "t", java.util.Optional.empty(),
                java.util.Optional.empty(), "https://api.vk.ru/method")).build()).hasMessageContaining("VK_GROUP_ID");
    }

    @Test
    void aLiveCommunityOverTheCallbackApiIsConfirmedAndReceivedOnTheDemosWebhook() throws Exception {
        try (VkFake vk = new VkFake();
             DemoContactCenter demo = DemoContactCenter.start(DemoConfig.fromEnvironment(Map.of(
                     "PORT", "0", "SWITCHBOARD_DATA", dataDir.toString(), "SCENARIO", "never",
                     "VK_GROUP_ID", Long.toString(VkFake.GROUP_ID), "VK_TOKEN", VkFake.TOKEN,
                     "VK_SECRET", VkFake.SECRET, "VK_CONFIRMATION", VkFake.CONFIRMATION,
                     "VK_API_URL", vk.apiBaseUrl())))) {
            assertThat(demo.fakeVk()).isEmpty();
            assertThat(demo.simulator()).isEmpty();
            vk.pushTo(demo.baseUri().resolve("/webhooks/vk/vk").toString());
            assertThat(vk.confirm()).isEqualTo(VkFake.CONFIRMATION);
            assertReceivedAndAnswered(vk, demo);
        }
    }

    @Test
    void aLiveCommunityWithoutASecretIsReadByLongPoll() throws Exception {
        try (VkFake vk = new VkFake();
             DemoContactCenter demo = DemoContactCenter.start(DemoConfig.fromEnvironment(Map.of(
                     "PORT", "0", "SWITCHBOARD_DATA", dataDir.toString(), "SCENARIO", "never",
                     "VK_GROUP_ID", Long.toString(VkFake.GROUP_ID), "VK_TOKEN", VkFake.TOKEN,
                     "VK_API_URL", vk.apiBaseUrl())))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> vk.longPollSessions() > 0);
            assertReceivedAndAnswered(vk, demo);
        }
    }

    private static void assertReceivedAndAnswered(VkFake vk, DemoContactCenter demo) throws Exception {
        vk.deliverText(VkFake.KNOWN_RECIPIENT, "", "Здравствуйте, где мой заказ?");
        AccountKey account = new AccountKey(DemoContactCenter.TENANT, DemoContactCenter.VK, VkFake.KNOWN_RECIPIENT);
        await().atMost(Duration.ofSeconds(30)).until(() -> demo.inbox().customerByAccount(account).isPresent());

        JsonHttp api = new JsonHttp(demo.apiUrl()).login("alex", demo.adminSecret());
        String conversation = null;
        for (var c : api.ok("/conversations?limit=100").path("items")) {
            if (c.path("channel").path("id").asText().equals("vk")) {
                conversation = c.path("id").asText();
            }
        }
        assertThat(conversation).isNotNull();
        JsonHttp.Response reply = api.post("/conversations/" + conversation + "/reply",
                JsonHttp.json(Map.of("text", "Заказ в пути, приедет завтра.", "channel", "vk", "agent", "alex")));
        assertThat(reply.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> vk.messagesTo(VkFake.KNOWN_RECIPIENT).stream()
                .anyMatch(d -> d.text().equals("Заказ в пути, приедет завтра.")));
    }
}
