package dev.switchboard.spring.boot;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.StreamRoute;

/**
 * What the mounted channel streams are wrapped in before they are served: the open-streams gauge when the metrics are
 * configured ({@code SwitchboardMetrics.instrument(channel, route)}), nothing otherwise. A separate type so the
 * endpoint configurations never load Micrometer's classes. Internal.
 */
@FunctionalInterface
interface StreamInstrumentation {
    /** Nothing added. */
    StreamInstrumentation NONE = (channel, route) -> route;

    StreamRoute instrument(Channel channel, StreamRoute route);
}
