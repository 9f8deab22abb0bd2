package dev.switchboard.channel.telegram;

import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Duration;

/** Channels configured against a {@link TelegramFake} with test-friendly timings. */
final class TestChannels {
    static final ChannelId ID = ChannelId.of("telegram-test");
    static final TenantId TENANT = TenantId.of("acme");
    static final String SECRET = "webhook_Secret-0123456789";

    private TestChannels() {
    }

    static TelegramChannel.Builder polling(TelegramFake fake) {
        return TelegramChannel.builder().id(ID).tenant(TENANT).botToken(TelegramFake.TOKEN)
                .apiBaseUrl(fake.url()).pollTimeout(Duration.ofSeconds(1))
                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
    }

    static TelegramChannel.Builder webhook(TelegramFake fake) {
        return polling(fake).mode(TelegramMode.webhook("https://bot.example.com/webhooks/telegram/telegram-test",
                SECRET));
    }
}
