package dev.switchboard.channel.telegram;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.testkit.ChannelCompatibilityKit;
import dev.switchboard.testkit.PlatformFake;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** The compatibility kit against the Telegram channel in webhook mode: the fake POSTs updates to its handler. */
class TelegramWebhookCompatibilityTest extends ChannelCompatibilityKit {

    @Override
    protected PlatformFake createFake() {
        return new TelegramFake();
    }

    @Override
    protected Channel createChannel(PlatformFake fake) {
        return TestChannels.webhook((TelegramFake) fake).build();
    }

    @Override
    protected Map<String, Callable<? extends Channel>> invalidConfigurations(PlatformFake fake) {
        TelegramFake api = (TelegramFake) fake;
        return Map.of(
                "maxWebhookBodyBytes", () -> TestChannels.webhook(api).maxWebhookBodyBytes(10).build(),
                "webhookCheckInterval", () -> TestChannels.webhook(api).webhookCheckInterval(Duration.ofSeconds(1))
                        .build());
    }

    /** The fake redelivers like Telegram: an unadvanced offset / a non-2xx webhook answer brings the update back. */
    @Override
    protected boolean platformRetriesUnacknowledgedEvents() {
        return true;
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(TelegramFake.TOKEN, TelegramFake.TOKEN.substring(TelegramFake.TOKEN.indexOf(':') + 1),
                TestChannels.SECRET);
    }

    @Override
    protected List<Object> objectsThatMustNotLeakSecrets(Channel channel) {
        TelegramChannel telegram = (TelegramChannel) channel;
        return List.of(channel, telegram.config(), telegram.config().mode(), telegram.webhook().orElseThrow());
    }
}
