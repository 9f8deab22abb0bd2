package dev.switchboard.channel.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The builder's one validation policy: every bad option fails at {@code build()} with an IllegalArgumentException
 * naming the option, never showing a secret's value; the built configuration is immutable and masks its secrets.
 */
class WebchatConfigTest {
    static final String TOKEN = "config-test-token-secret-0123456789-abcdef";
    static final String IDENTITY = "config-test-identity-secret";

    static WebchatChannel.Builder valid() {
        return WebchatChannel.builder().id(ChannelId.of("site-a")).tenant(TenantId.of("shop-a"))
                .tokenSecret(TOKEN.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValidBuilderGivesTheCheckedConfiguration() {
        WebchatChannel c = valid().basePath("/webchat/shop-a").allowedOrigins(Set.of("https://shop-a.example"))
                .identitySecret(IDENTITY.getBytes(StandardCharsets.UTF_8)).build();
        WebchatConfig config = c.config();
        assertThat(config.channelId()).isEqualTo(ChannelId.of("site-a"));
        assertThat(c.id()).isEqualTo(ChannelId.of("site-a"));
        assertThat(config.tenant()).isEqualTo(TenantId.of("shop-a"));
        assertThat(config.basePath()).isEqualTo("/webchat/shop-a");
        assertThat(config.allowedOrigins()).containsExactly("https://shop-a.example");
        assertThat(config.toString()).doesNotContain(TOKEN).doesNotContain(IDENTITY).contains("***");
        byte[] secret = config.tokenSecret();
        secret[0] = 'X';
        assertThat(config.tokenSecret()[0]).isEqualTo((byte) TOKEN.charAt(0));
    }

    @Test
    void defaultsAreTheSingleSiteChatUnderSlashWebchat() {
        WebchatConfig config = WebchatChannel.builder().tokenSecret(TOKEN.getBytes(StandardCharsets.UTF_8)).build()
                .config();
        assertThat(config.channelId()).isEqualTo(ChannelId.of("webchat"));
        assertThat(config.basePath()).isEqualTo("/webchat");
        assertThat(config.tenant()).isEqualTo(TenantId.DEFAULT);
    }

    @Test
    void everyBadOptionIsNamedWithoutShowingASecret() {
        assertRefused(b -> WebchatChannel.builder(), "tokenSecret");
        assertRefused(b -> b.tokenSecret("short-secret".getBytes(StandardCharsets.UTF_8)), "tokenSecret");
        assertRefused(b -> b.identitySecret("short".getBytes(StandardCharsets.UTF_8)), "identitySecret");
        assertRefused(b -> b.acceptLegacyUserHash(true), "acceptLegacyUserHash");
        assertRefused(b -> b.identityTokenLifetime(java.time.Duration.ZERO), "identityTokenLifetime");
        assertRefused(b -> b.basePath("webchat"), "basePath");
        assertRefused(b -> b.basePath("/webchat/"), "basePath");
        assertRefused(b -> b.basePath("/web chat"), "basePath");
        assertRefused(b -> b.allowedOrigins(Set.of("https://shop.example/path")), "allowedOrigins");
        assertRefused(b -> b.fileOrigin("https://files.example/path"), "fileOrigin");
        assertRefused(b -> b.phoneRegion("XX-NOT-A-REGION"), "phoneRegion");
        assertRefused(b -> b.id(null), "channelId");
    }

    private static void assertRefused(UnaryOperator<WebchatChannel.Builder> change, String option) {
        assertThatThrownBy(() -> change.apply(valid()).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(option)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain(IDENTITY));
    }
}
