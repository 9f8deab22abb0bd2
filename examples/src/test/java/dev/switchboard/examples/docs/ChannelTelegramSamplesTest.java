package dev.switchboard.examples.docs;

import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.telegram.TelegramChannel;
import dev.switchboard.channel.telegram.TelegramMode;
import dev.switchboard.channel.telegram.TelegramTransport;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The samples of docs/channel-telegram.md, verbatim between the markers (see {@link DocSamplesTest}). */
class ChannelTelegramSamplesTest {

    /** Compiled, not run: it reads the bot token from the environment. */
    @SuppressWarnings("unused")
    static void configuration() {
        // ---- doc snippet begins
        TelegramChannel bot = TelegramChannel.builder()
            .id(ChannelId.of("telegram-main"))                  // required
            .tenant(TenantId.of("acme"))                        // default TenantId.DEFAULT
            .botToken(System.getenv("TELEGRAM_TOKEN"))          // required, "<bot id>:<30+ chars [A-Za-z0-9_-]>"
            .apiBaseUrl("https://api.telegram.org")             // default; or a local Bot API server
            .mode(TelegramMode.polling())                       // default
            // .mode(TelegramMode.webhook("https://example.com/webhooks/telegram/telegram-main", secretToken))
            .pollTimeout(Duration.ofSeconds(30))                // getUpdates long-poll timeout, 0-50 s
            .pollLimit(100)                                     // 1-100
            .retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60))
            .maxWebhookBodyBytes(1024 * 1024)                   // larger bodies get 413
            .transport(TelegramTransport.shared())              // default; or .httpClient(hostOkHttpClient)
            .webhookCheckInterval(Duration.ofMinutes(5))        // webhook mode: getWebhookInfo, 1 min - 24 h
            .clock(Clock.systemUTC())
            .build();
        // ---- doc snippet ends
    }

    /** Compiled, not run: the host's own code answers between the update and the assertion. */
    @SuppressWarnings("unused")
    static void testingYourIntegration(InboundSink sink) {
        // ---- doc snippet begins
        try (TelegramFake telegram = new TelegramFake()) {                 // or TelegramFake.builder()...build()
            TelegramChannel channel = TelegramChannel.builder().id(ChannelId.of("telegram"))
                .botToken(TelegramFake.TOKEN).apiBaseUrl(telegram.url()).build();
            channel.start(sink).toCompletableFuture().join();

            long updateId = telegram.pushText(424242001, "Ada Lovelace", "Where is my order?");  // a customer writes
            // ... your code answers through the channel (or an Inbox around it) ...
            await().until(() -> !telegram.delivered().isEmpty());
            assertThat(telegram.delivered().get(0).text()).contains("order");
        }
        // ---- doc snippet ends
    }
}
