package dev.switchboard.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.webchat.WebchatChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Java sample of docs/spring-boot.md, verbatim between the markers; the examples module's {@code DocSamplesTest}
 * checks that the page still shows exactly this.
 */
class SpringBootDocSamplesTest {

    @Configuration
    static class ShopChannels {
        // ---- spring-boot.md snippet begins
        @Bean
        WebchatChannel webchat(@Value("${shop.webchat.token-secret}") String tokenSecret) {
            return WebchatChannel.builder()
                    .tokenSecret(tokenSecret.getBytes(StandardCharsets.UTF_8))
                    .allowedOrigins(Set.of("https://shop.example"))   // the pages that embed the widget
                    .build();                                          // base path /webchat
        }
        // ---- spring-boot.md snippet ends
    }

    @Test
    void theWebchatBeanIsAChannelOnTheDocumentedBasePath() {
        WebchatChannel webchat = new ShopChannels().webchat("a-token-secret-of-32-bytes-or-more!!");
        assertThat(webchat.config().basePath()).isEqualTo("/webchat");
        assertThat(webchat.config().allowedOrigins()).containsExactly("https://shop.example");
    }
}
