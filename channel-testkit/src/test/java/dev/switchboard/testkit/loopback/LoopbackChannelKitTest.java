package dev.switchboard.testkit.loopback;

import dev.switchboard.channel.Channel;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import dev.switchboard.testkit.ChannelCompatibilityKit;
import dev.switchboard.testkit.PlatformFake;
import java.util.List;
import java.util.Set;

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
        LoopbackChannel.Config config = new LoopbackChannel.Config(ChannelId.of("loopback-main"), TenantId.DEFAULT,
                TOKEN, LoopbackChannel.Config.defaultCapabilities());
        return new LoopbackChannel(config, (LoopbackPlatform) fake);
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
    protected List<Object> objectsThatMustNotLeakSecrets(Channel channel) {
        return List.of(channel, ((LoopbackChannel) channel).config());
    }
}
