package dev.switchboard.channel.vk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.model.ChannelId;
import dev.switchboard.testkit.RecordingInboundSink;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder checks every option once, at build(), naming the option and its value but never a secret. */
class VkConfigurationTest {
    private static final String TOKEN = "vk1.a.secretTokenValue-0123456789";

    private static VkChannel.Builder valid() {
        return VkChannel.builder().id(ChannelId.of("vk-main")).groupId(42).accessToken(TOKEN);
    }

    @Test
    void defaultsArePinnedVersionVkRuLongPollAnd20PerSecond() {
        VkChannel channel = valid().build();
        assertThat(channel.config().apiVersion()).isEqualTo("5.199");
        assertThat(channel.config().apiBaseUrl().toString()).isEqualTo("https://api.vk.ru/method");
        assertThat(channel.config().receiveMode()).isEqualTo(VkReceiveMode.LONG_POLL);
        assertThat(channel.config().longPollWait()).isEqualTo(Duration.ofSeconds(25));
        assertThat(channel.capabilities().receiveMode()).isEqualTo(ReceiveMode.POLLING);
        assertThat(channel.capabilities().maxTextLength()).isEqualTo(9000);
        assertThat(channel.capabilities().maxButtons()).isEqualTo(10);
        // 20 calls per 1.02 s: VK's 20/s less the margin for jitter between our socket and VK's count
        assertThat(channel.capabilities().globalRateLimit().orElseThrow().ratePerSecond())
                .isCloseTo(20 / 1.02, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(channel.webhook()).isEmpty();
        assertThat(valid().apiBaseUrl("https://api.vk.com/method/").build().config().apiBaseUrl().toString())
                .isEqualTo("https://api.vk.com/method");
    }

    @Test
    void callbackModeHasAWebhookAndRequiresTheSecret() {
        VkChannel channel = valid().callback("s3cret-key", null).build();
        assertThat(channel.webhook()).isPresent();
        assertThat(channel.capabilities().receiveMode()).isEqualTo(ReceiveMode.WEBHOOK);
        assertThatThrownBy(() -> valid().callback(null, "abc").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callback secret");
        assertThatThrownBy(() -> valid().callback("s", " ").build())
                .hasMessageContaining("confirmationCode");
    }

    @Test
    void badOptionsAreNamedWithTheirValue() {
        assertThatThrownBy(() -> VkChannel.builder().groupId(1).accessToken(TOKEN).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id is required");
        assertThatThrownBy(() -> valid().groupId(-5).build()).hasMessageContaining("groupId").hasMessageContaining("-5");
        assertThatThrownBy(() -> valid().apiBaseUrl("ftp://x").build()).hasMessageContaining("apiBaseUrl")
                .hasMessageContaining("ftp://x");
        assertThatThrownBy(() -> valid().longPollWait(Duration.ofSeconds(91)).build())
                .hasMessageContaining("longPollWait").hasMessageContaining("PT1M31S");
        assertThatThrownBy(() -> valid().longPollSessionMaxAge(Duration.ofSeconds(5)).build())
                .hasMessageContaining("longPollSessionMaxAge");
        assertThatThrownBy(() -> valid().requestsPerSecond(0).build()).hasMessageContaining("requestsPerSecond");
        assertThatThrownBy(() -> valid().retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .hasMessageContaining("retryBackoff");
    }

    @Test
    void aBadTokenIsDescribedWithoutShowingIt() {
        String bad = "short token";
        assertThatThrownBy(() -> valid().accessToken(bad).build()).hasMessageContaining("accessToken")
                .hasMessageNotContaining(bad).hasMessageContaining("11 characters");
        assertThatThrownBy(() -> valid().accessToken(null).build()).hasMessageContaining("got none");
    }

    @Test
    void toStringMasksTokenAndSecret() {
        VkChannel channel = valid().callback("s3cret-key-value", "conf123").build();
        for (String shown : new String[] {channel.toString(), channel.config().toString()}) {
            assertThat(shown).doesNotContain(TOKEN).doesNotContain("secretToken").doesNotContain("s3cret-key-value")
                    .contains("***");
        }
    }

    @Test
    void aSecondStartIsRefusedStopIsIdempotentAndAStoppedChannelStartsAgain() {
        try (VkFake fake = new VkFake()) {
            VkChannel channel = TestChannels.longPoll(fake).build();
            RecordingInboundSink sink = new RecordingInboundSink();
            channel.start(sink).toCompletableFuture().join();
            assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.UP);
            assertThatThrownBy(() -> channel.start(sink).toCompletableFuture().join())
                    .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
            channel.stop().toCompletableFuture().join();
            channel.stop().toCompletableFuture().join();
            assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.STOPPED);
            channel.start(sink).toCompletableFuture().join();
            assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.UP);
            channel.stop().toCompletableFuture().join();
        }
    }
}
