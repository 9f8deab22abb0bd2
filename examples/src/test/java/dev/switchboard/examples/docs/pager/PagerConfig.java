package dev.switchboard.examples.docs.pager;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Every option of a Pager channel, built and checked by {@code PagerChannel.Builder}; {@code toString()} masks the API
 * token and the webhook secret.
 */
// ---- doc snippet begins
public record PagerConfig(ChannelId channelId, TenantId tenant, URI apiBase, String apiToken, byte[] webhookSecret,
                          Duration sendTimeout) {
    public PagerConfig {
        Objects.requireNonNull(channelId, "channelId");     // the builder has checked everything already
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(apiBase, "apiBase");
        Objects.requireNonNull(apiToken, "apiToken");
        webhookSecret = webhookSecret.clone();
        Objects.requireNonNull(sendTimeout, "sendTimeout");
    }

    @Override
    public String toString() {
        return "PagerConfig[channelId=" + channelId + ", tenant=" + tenant + ", apiBase=" + apiBase
                + ", apiToken=***, webhookSecret=***, sendTimeout=" + sendTimeout + "]";
    }
}
// ---- doc snippet ends
