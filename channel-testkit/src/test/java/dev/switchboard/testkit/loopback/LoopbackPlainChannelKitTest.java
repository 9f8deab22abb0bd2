package dev.switchboard.testkit.loopback;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.model.ChannelId;
import dev.switchboard.testkit.ChannelCompatibilityKit;
import dev.switchboard.testkit.KitFeature;
import dev.switchboard.testkit.PlatformFake;
import java.util.Set;

/**
 * The same loopback channel declared as a plain-text platform without buttons, counting code points: the kit must
 * then expect numbered lists and splits measured in code points. Shows how {@link #unsupported()} is used.
 */
class LoopbackPlainChannelKitTest extends ChannelCompatibilityKit {

    @Override
    protected PlatformFake createFake() {
        return new LoopbackPlatform(LoopbackChannelKitTest.TOKEN);
    }

    @Override
    protected Channel createChannel(PlatformFake fake) {
        Capabilities plain = Capabilities.builder()
                .maxTextLength(120, TextLengthUnit.CODE_POINTS)
                .markup(Markup.PLAIN)
                .receiveMode(ReceiveMode.POLLING)
                .build();
        return LoopbackChannel.builder().id(ChannelId.of("loopback-plain")).token(LoopbackChannelKitTest.TOKEN)
                .capabilities(plain).platform((LoopbackPlatform) fake).build();
    }

    @Override
    protected Set<KitFeature> unsupported() {
        return Set.of(KitFeature.BUTTONS);
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(LoopbackChannelKitTest.TOKEN);
    }
}
