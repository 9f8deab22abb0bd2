package dev.switchboard.examples.docs;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.model.ChannelId;
import dev.switchboard.testkit.ChannelCompatibilityKit;
import dev.switchboard.testkit.KitFeature;
import dev.switchboard.testkit.PlatformFake;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The samples of docs/channel-testkit.md, verbatim between the markers (see {@link DocSamplesTest}). The kit subclass
 * is an inner class, so neither Surefire nor JUnit runs it: {@code MyChannel} and {@code MyPlatformFake} are stubs
 * standing for the plugin author's own classes.
 */
class ChannelTestkitSamplesTest {

    @Test
    void theCapabilitiesSampleBuilds() {
        assertThat(capabilities().receiveMode()).isEqualTo(ReceiveMode.POLLING);
    }

    static Capabilities capabilities() {
        return
        // ---- doc snippet begins
        Capabilities.builder()
                .maxTextLength(4096, TextLengthUnit.UTF16_UNITS)
                .markup(Markup.TELEGRAM_MARKDOWN_V2)
                .buttons(8, 32)
                .receiveMode(ReceiveMode.POLLING)
                .build();
        // ---- doc snippet ends
    }

    // ---- doc snippet begins
    class MyChannelCompatibilityTest extends ChannelCompatibilityKit {
        private static final String TOKEN = "123:secret";

        @Override protected PlatformFake createFake() throws Exception { return new MyPlatformFake().start(); }

        @Override protected Channel createChannel(PlatformFake fake) {
            return MyChannel.builder().id(ChannelId.of("my-main")).token(TOKEN)
                    .baseUrl(((MyPlatformFake) fake).url()).build();
        }

        @Override protected Set<String> secrets() { return Set.of(TOKEN); }

        @Override protected List<Object> objectsThatMustNotLeakSecrets(Channel channel) {
            return List.of(channel, ((MyChannel) channel).config());
        }

        // Only what your platform really cannot do:
        @Override protected Set<KitFeature> unsupported() { return Set.of(KitFeature.RETRY_AFTER); }
    }
    // ---- doc snippet ends
}
