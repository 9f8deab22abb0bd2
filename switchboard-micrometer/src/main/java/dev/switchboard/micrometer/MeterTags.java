package dev.switchboard.micrometer;

import dev.switchboard.channel.Channel;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Optional;

/**
 * The tags every meter of a channel carries: {@code channel} and {@code channel.type}, plus {@code tenant} when the
 * host opted in. Channel ids are configuration (bounded); tenants may not be, hence the opt-in. Internal.
 */
record MeterTags(boolean withTenant) {

    Tags of(Channel channel) {
        return of(channel.tenant(), channel.id(), Optional.of(channel.type().value()));
    }

    Tags of(TenantId tenant, ChannelId channel, Optional<String> type) {
        Tags tags = Tags.of("channel", channel.value(), "channel.type", type.orElse("unknown"));
        return withTenant ? tags.and("tenant", tenant.value()) : tags;
    }

    Tags of(TenantId tenant) {
        return withTenant ? Tags.of("tenant", tenant.value()) : Tags.empty();
    }

    static KeyValues keyValues(Tags tags) {
        KeyValues kv = KeyValues.empty();
        for (Tag t : tags) {
            kv = kv.and(t.getKey(), t.getValue());
        }
        return kv;
    }
}
