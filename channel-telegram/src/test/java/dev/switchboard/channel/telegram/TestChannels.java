package dev.switchboard.channel.telegram;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Duration;

/** Channels configured against a {@link FakeBotApi} with test-friendly timings. */
final class TestChannels {
    static final ChannelId ID = ChannelId.of("telegram-test");
    static final TenantId TENANT = TenantId.of("acme");
    static final String SECRET = "webhook_Secret-0123456789";

    private TestChannels() {
    }

    static TelegramChannel.Builder polling(FakeBotApi fake) {
        return TelegramChannel.builder().id(ID).tenant(TENANT).botToken(FakeBotApi.TOKEN)
                .apiBaseUrl(fake.baseUrl()).pollTimeout(Duration.ofSeconds(1))
                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
    }

    static TelegramChannel.Builder webhook(FakeBotApi fake) {
        return polling(fake).mode(TelegramMode.webhook("https://bot.example.com/webhooks/telegram/telegram-test",
                SECRET));
    }
}
