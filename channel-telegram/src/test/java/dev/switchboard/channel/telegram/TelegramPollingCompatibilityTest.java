package dev.switchboard.channel.telegram;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.testkit.ChannelCompatibilityKit;
import dev.switchboard.testkit.PlatformFake;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** The compatibility kit against the Telegram channel in long-polling mode and the fake Bot API. */
class TelegramPollingCompatibilityTest extends ChannelCompatibilityKit {

    @Override
    protected PlatformFake createFake() {
        return new TelegramFake();
    }

    @Override
    protected Channel createChannel(PlatformFake fake) {
        return TestChannels.polling((TelegramFake) fake).build();
    }

    /** The fake redelivers like Telegram: an unadvanced offset / a non-2xx webhook answer brings the update back. */
    @Override
    protected boolean platformRetriesUnacknowledgedEvents() {
        return true;
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(TelegramFake.TOKEN, TelegramFake.TOKEN.substring(TelegramFake.TOKEN.indexOf(':') + 1));
    }

    @Override
    protected Map<String, Callable<? extends Channel>> invalidConfigurations(PlatformFake fake) {
        TelegramFake api = (TelegramFake) fake;
        return Map.of(
                "botToken", () -> TestChannels.polling(api).botToken(TelegramFake.TOKEN.substring(0, 20)).build(),
                "pollLimit", () -> TestChannels.polling(api).pollLimit(0).build(),
                "apiBaseUrl", () -> TestChannels.polling(api).apiBaseUrl("not a url").build());
    }

    @Override
    protected List<Object> objectsThatMustNotLeakSecrets(Channel channel) {
        return List.of(channel, ((TelegramChannel) channel).config());
    }
}
