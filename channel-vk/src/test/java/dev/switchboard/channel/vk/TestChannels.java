package dev.switchboard.channel.vk;

import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Duration;

/** Channels configured against a {@link VkFake} with test-friendly timings. */
final class TestChannels {
    static final ChannelId ID = ChannelId.of("vk-test");
    static final TenantId TENANT = TenantId.of("acme");

    private TestChannels() {
    }

    static VkChannel.Builder longPoll(VkFake fake) {
        return longPoll(fake.apiBaseUrl());
    }

    static VkChannel.Builder longPoll(String apiBaseUrl) {
        return VkChannel.builder().id(ID).tenant(TENANT).groupId(VkFake.GROUP_ID).accessToken(VkFake.TOKEN)
                .apiBaseUrl(apiBaseUrl).longPollWait(Duration.ofSeconds(1))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    static VkChannel.Builder callback(VkFake fake) {
        return longPoll(fake).callback(VkFake.SECRET, VkFake.CONFIRMATION);
    }
}
