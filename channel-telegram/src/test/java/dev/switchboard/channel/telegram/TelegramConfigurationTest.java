package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.model.ChannelId;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Builder checks, secret masking, capabilities, group pacing and callback-data fitting. */
class TelegramConfigurationTest {
    private static final String TOKEN = TelegramFake.TOKEN;

    private static TelegramChannel.Builder valid() {
        return TelegramChannel.builder().id(ChannelId.of("tg")).botToken(TOKEN).apiBaseUrl("http://127.0.0.1:1/");
    }

    @Test
    void buildChecksTheTokenWithoutEchoingIt() {
        String almost = "123456:short";
        assertThatThrownBy(() -> valid().botToken(almost).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("botToken").satisfies(e -> assertThat(e.getMessage()).doesNotContain(almost));
        assertThatThrownBy(() -> valid().botToken(null).build()).hasMessageContaining("got none");
        assertThatThrownBy(() -> valid().botToken("abc:" + "x".repeat(35)).build())
                .hasMessageContaining("botToken");
        assertThatThrownBy(() -> valid().id(null).build()).hasMessageContaining("id is required");
    }

    @Test
    void buildChecksPollingSettings() {
        assertThatThrownBy(() -> valid().pollTimeout(Duration.ofSeconds(51)).build())
                .hasMessageContaining("pollTimeout must be 0-50 s");
        assertThatThrownBy(() -> valid().pollLimit(101).build()).hasMessageContaining("pollLimit");
        assertThatThrownBy(() -> valid().retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .hasMessageContaining("retryBackoff");
        assertThatThrownBy(() -> valid().apiBaseUrl("not a url").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiBaseUrl").hasMessageContaining("not a url");
    }

    @Test
    void webhookSecretMustFollowTelegramsRules() {
        assertThatThrownBy(() -> TelegramMode.webhook("https://x.example/hook", "has space"))
                .hasMessageContaining("[A-Za-z0-9_-]").satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("has space"));
        assertThatThrownBy(() -> TelegramMode.webhook("https://x.example/hook", "a".repeat(257)))
                .hasMessageContaining("1-256");
        assertThatThrownBy(() -> TelegramMode.webhook("https://x.example/hook", ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TelegramMode.webhook("/relative", "abc")).hasMessageContaining("absolute");
        assertThat(TelegramMode.webhook("https://x.example/hook", "a".repeat(256)).secretToken()).hasSize(256);
    }

    @Test
    void toStringMasksTokenAndSecret() {
        TelegramChannel channel = valid().mode(TelegramMode.webhook("https://x.example/hook", "s3cr3t_Value")).build();
        String secretPart = TOKEN.substring(TOKEN.indexOf(':') + 1);
        for (Object o : new Object[] {channel, channel.config(), channel.config().mode()}) {
            assertThat(o.toString()).doesNotContain(secretPart).doesNotContain("s3cr3t_Value");
        }
        assertThat(channel.config().toString()).contains("123456789:***");
    }

    @Test
    void capabilitiesDeclareTelegramsLimits() {
        Capabilities polling = valid().build().capabilities();
        assertThat(polling.maxTextLength()).isEqualTo(4096);
        assertThat(polling.textLengthUnit()).isEqualTo(TextLengthUnit.UTF16_UNITS);
        assertThat(polling.markup()).isEqualTo(Markup.HTML);
        assertThat(polling.globalRateLimit()).contains(RateLimit.perSecond(30));
        assertThat(polling.perRecipientRateLimit()).contains(RateLimit.perSecond(1));
        assertThat(polling.sharePhoneButton()).isTrue();
        assertThat(polling.maxButtons()).isEqualTo(100);
        assertThat(polling.receiveMode()).isEqualTo(ReceiveMode.POLLING);
        assertThat(valid().mode(TelegramMode.webhook("https://x.example/hook", "abc")).build().capabilities()
                .receiveMode()).isEqualTo(ReceiveMode.WEBHOOK);
    }

    @Test
    void groupChatsArePacedTo20PerMinuteAndPrivateChatsAreNot() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        GroupPacer pacer = new GroupPacer(Duration.ofSeconds(3), now::get);
        assertThat(pacer.reserveDelayNanos(42)).isZero();
        assertThat(pacer.reserveDelayNanos(42)).isZero();
        assertThat(pacer.reserveDelayNanos(-100)).isZero();
        assertThat(pacer.reserveDelayNanos(-100)).isEqualTo(Duration.ofSeconds(3).toNanos());
        assertThat(pacer.reserveDelayNanos(-100)).isEqualTo(Duration.ofSeconds(6).toNanos());
        assertThat(pacer.reserveDelayNanos(-200)).as("other groups are independent").isZero();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(pacer.reserveDelayNanos(-100)).isZero();
    }

    @Test
    void callbackDataFitsIn64BytesAndMapsBack() {
        CallbackData data = new CallbackData(dev.switchboard.channel.state.ChannelState.inMemory());
        assertThat(data.encode("short")).isEqualTo("short");
        String sixtyFourBytes = "ж".repeat(32);
        assertThat(data.encode(sixtyFourBytes)).isEqualTo(sixtyFourBytes);
        String long1 = "ж".repeat(33);
        String encoded = data.encode(long1);
        assertThat(encoded.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
        assertThat(data.decode(encoded)).isEqualTo(long1);
        assertThat(data.decode("#unknownhash")).isEqualTo("#unknownhash");
        String hashLike = "#looks-like-a-hash";
        assertThat(data.decode(data.encode(hashLike))).isEqualTo(hashLike);
        assertThat(data.decode(data.encode(""))).isEqualTo("");
    }
}
