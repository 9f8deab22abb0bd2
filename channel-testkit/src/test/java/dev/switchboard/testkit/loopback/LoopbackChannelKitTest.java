package dev.switchboard.testkit.loopback;

import dev.switchboard.channel.Channel;
import dev.switchboard.model.ChannelId;
import dev.switchboard.testkit.ChannelCompatibilityKit;
import dev.switchboard.testkit.PlatformFake;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The loopback channel passes the compatibility kit. This is all a channel module writes to run the kit: how to start
 * the fake, how to build the channel against it, and which secrets must stay hidden.
 */
class LoopbackChannelKitTest extends ChannelCompatibilityKit {
    static final String TOKEN = "123456:loopback-secret-token";

    @Override
    protected PlatformFake createFake() {
        return new LoopbackPlatform(TOKEN);
    }

    @Override
    protected Channel createChannel(PlatformFake fake) {
        return LoopbackChannel.builder().id(ChannelId.of("loopback-main")).token(TOKEN)
                .platform((LoopbackPlatform) fake).build();
    }

    /** The loopback platform keeps offering an update until the channel polls past it. */
    @Override
    protected boolean platformRetriesUnacknowledgedEvents() {
        return true;
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(TOKEN);
    }

    @Override
    protected Map<String, Callable<? extends Channel>> invalidConfigurations(PlatformFake fake) {
        LoopbackPlatform platform = (LoopbackPlatform) fake;
        return Map.of(
                "token", () -> LoopbackChannel.builder().id(ChannelId.of("lb")).token(" ").platform(platform).build(),
                "pollWait", () -> LoopbackChannel.builder().id(ChannelId.of("lb")).token(TOKEN).platform(platform)
                        .pollWait(Duration.ZERO).build(),
                "id", () -> LoopbackChannel.builder().token(TOKEN).platform(platform).build());
    }

    @Override
    protected List<Object> objectsThatMustNotLeakSecrets(Channel channel) {
        return List.of(channel, ((LoopbackChannel) channel).config());
    }
}
