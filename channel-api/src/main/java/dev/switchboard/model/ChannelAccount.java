package dev.switchboard.model;

import java.util.Objects;

/**
 * One person's account on one channel (a Telegram user, an email address, a webchat visitor), with the profile
 * hints the platform gave us. A {@link Customer} owns one or more accounts.
 */
public record ChannelAccount(AccountKey key, Profile profile) {
    public ChannelAccount {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(profile, "profile");
    }

    public static ChannelAccount of(TenantId tenant, ChannelId channel, String platformUserId, Profile profile) {
        return new ChannelAccount(new AccountKey(tenant, channel, platformUserId), profile);
    }

    public TenantId tenant() {
        return key.tenant();
    }

    public ChannelId channel() {
        return key.channel();
    }

    public String platformUserId() {
        return key.platformUserId();
    }
}
