package dev.switchboard.channel.viber;

import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;

/** Channels configured against a {@link ViberFake}. */
final class TestChannels {
    static final ChannelId ID = ChannelId.of("viber-test");
    static final TenantId TENANT = TenantId.of("acme");

    private TestChannels() {
    }

    static ViberChannel.Builder against(ViberFake fake) {
        return ViberChannel.builder().id(ID).tenant(TENANT).authToken(ViberFake.TOKEN).senderName("Acme Support")
                .apiBaseUrl(fake.apiBaseUrl());
    }
}
