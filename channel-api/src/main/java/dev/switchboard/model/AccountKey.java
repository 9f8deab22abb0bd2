package dev.switchboard.model;

import java.util.Objects;

/**
 * The identity of a {@link ChannelAccount}: which tenant, which channel, and the platform's own user id (a Telegram
 * user id, an email address, a webchat visitor id). Unique within a tenant.
 */
public record AccountKey(TenantId tenant, ChannelId channel, String platformUserId) {
    public AccountKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(platformUserId, "platformUserId");
        if (platformUserId.isBlank()) {
            throw new IllegalArgumentException("platformUserId must not be blank");
        }
    }

    @Override
    public String toString() {
        return tenant + "/" + channel + "/" + platformUserId;
    }
}
