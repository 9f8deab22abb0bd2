package dev.switchboard.spring.boot;

import dev.switchboard.channel.Channel;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;

/**
 * Makes the channels of one type (the {@code type} of a {@code switchboard.tenants[].channels[]} entry) from their
 * properties. The starter contributes {@code telegram}, {@code email}, {@code vk} and {@code viber} when their
 * modules are on the classpath; an application adds a channel type (a third-party channel) by declaring a bean of its
 * own, which reads its settings from {@link SwitchboardProperties.ChannelProperties#getSettings()}.
 * Implementations must be thread-safe.
 */
public interface ChannelFactory {

    /** The type this factory makes, lower case, e.g. {@code telegram}. */
    String type();

    /**
     * Makes the channel {@code id} of {@code tenant}. Throw {@link SwitchboardConfigurationException} (or any
     * {@link IllegalArgumentException} / {@link IllegalStateException}, which the starter reports with the property
     * path) for a setting that is missing or wrong; never put a secret's value in the message.
     *
     * @param property the property path of this channel, e.g. {@code switchboard.tenants[0].channels[1]}, for messages
     */
    Channel create(TenantId tenant, ChannelId id, SwitchboardProperties.ChannelProperties properties, String property);
}
