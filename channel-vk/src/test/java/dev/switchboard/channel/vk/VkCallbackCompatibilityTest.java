package dev.switchboard.channel.vk;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.testkit.ChannelCompatibilityKit;
import dev.switchboard.testkit.KitFeature;
import dev.switchboard.testkit.PlatformFake;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** The compatibility kit against the VK channel receiving by Callback API (the fake pushes to its handler). */
class VkCallbackCompatibilityTest extends ChannelCompatibilityKit {

    @Override
    protected PlatformFake createFake() {
        return new VkFake();
    }

    @Override
    protected Channel createChannel(PlatformFake fake) {
        return TestChannels.callback((VkFake) fake).build();
    }

    @Override
    protected Map<String, Callable<? extends Channel>> invalidConfigurations(PlatformFake fake) {
        VkFake vk = (VkFake) fake;
        return Map.of(
                "callbackSecret", () -> TestChannels.longPoll(vk).callback(" ", VkFake.CONFIRMATION).build(),
                "maxWebhookBodyBytes", () -> TestChannels.callback(vk).maxWebhookBodyBytes(10).build());
    }

    /** VK's rate-limit errors (6, 9, 29) carry no retry-after; the channel uses its own pause per code. */
    @Override
    protected Set<KitFeature> unsupported() {
        return Set.of(KitFeature.RETRY_AFTER);
    }

    /** VK events carry no names (users.get would be needed), so the kit's messages come without one. */
    @Override
    protected String customerName() {
        return "";
    }

    /** The fake redelivers like VK: an unadvanced ts / a Callback answer other than ok brings the event back. */
    @Override
    protected boolean platformRetriesUnacknowledgedEvents() {
        return true;
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(VkFake.TOKEN, VkFake.SECRET);
    }

    @Override
    protected List<Object> objectsThatMustNotLeakSecrets(Channel channel) {
        VkChannel vk = (VkChannel) channel;
        return vk.webhook().isPresent() ? List.of(vk, vk.config(), vk.webhook().get()) : List.of(vk, vk.config());
    }
}
