package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.model.ChannelId;
import dev.switchboard.testkit.KitAccounts;
import dev.switchboard.testkit.RecordingInboundSink;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sample of docs/channel-telegram.md, "Testing your integration", so it compiles and works. */
class TelegramFakeDocExampleTest {

    @Test
    void theDocumentedSampleWorks() {
        RecordingInboundSink sink = new RecordingInboundSink();
        try (TelegramFake telegram = new TelegramFake()) {
            TelegramChannel channel = TelegramChannel.builder().id(ChannelId.of("telegram"))
                    .botToken(TelegramFake.TOKEN).apiBaseUrl(telegram.url()).build();
            channel.start(sink).toCompletableFuture().join();
            try {
                long updateId = telegram.pushText(424242001, "Ada Lovelace", "Where is my order?");
                // your code answers through the channel
                await().atMost(Duration.ofSeconds(30)).until(() -> !sink.eventsWithId(Long.toString(updateId))
                        .isEmpty());
                channel.send(KitAccounts.text(channel, "424242001", "Your order ships today"))
                        .toCompletableFuture().join();
                await().atMost(Duration.ofSeconds(30)).until(() -> !telegram.delivered().isEmpty());
                assertThat(telegram.delivered().get(0).text()).contains("order");
                assertThat(telegram.delivered().get(0).chatId()).isEqualTo(424242001L);
            } finally {
                channel.stop().toCompletableFuture().join();
            }
        }
    }
}
