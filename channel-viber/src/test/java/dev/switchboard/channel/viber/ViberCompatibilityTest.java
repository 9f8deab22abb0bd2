package dev.switchboard.channel.viber;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.testkit.ChannelCompatibilityKit;
import dev.switchboard.testkit.KitFeature;
import dev.switchboard.testkit.PlatformFake;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** The compatibility kit against the Viber channel: the fake pushes signed callbacks to its webhook handler. */
class ViberCompatibilityTest extends ChannelCompatibilityKit {

    @Override
    protected PlatformFake createFake() {
        return new ViberFake();
    }

    @Override
    protected Channel createChannel(PlatformFake fake) {
        return TestChannels.against((ViberFake) fake).build();
    }

    @Override
    protected Map<String, Callable<? extends Channel>> invalidConfigurations(PlatformFake fake) {
        ViberFake viber = (ViberFake) fake;
        return Map.of(
                "senderName", () -> TestChannels.against(viber).senderName("A name far longer than 28 chars").build(),
                "authToken", () -> TestChannels.against(viber).authToken(" ").build(),
                "webhookUrl", () -> TestChannels.against(viber).webhookUrl("http://example.com/hook").build(),
                "maxWebhookBodyBytes", () -> TestChannels.against(viber).maxWebhookBodyBytes(10).build());
    }

    /** Viber's status 12 carries no retry-after; the channel uses its own pause. */
    @Override
    protected Set<KitFeature> unsupported() {
        return Set.of(KitFeature.RETRY_AFTER);
    }

    @Override
    protected String customerId() {
        return "kitCustomer0001ABCDEFG==";
    }

    /** The fake resends a callback until it is answered 200, as Viber does. */
    @Override
    protected boolean platformRetriesUnacknowledgedEvents() {
        return true;
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(ViberFake.TOKEN);
    }

    @Override
    protected List<Object> objectsThatMustNotLeakSecrets(Channel channel) {
        ViberChannel viber = (ViberChannel) channel;
        return List.of(viber, viber.config(), viber.webhook().get());
    }
}
