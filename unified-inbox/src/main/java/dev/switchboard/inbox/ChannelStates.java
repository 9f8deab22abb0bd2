package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.StatefulChannel;
import dev.switchboard.inbox.spi.InboxStore;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds every {@link StatefulChannel} the inbox runs to its state: kept in the store when the store keeps channel
 * state, otherwise in this node's memory (one state per tenant and channel id, so an instance rebuilt from a factory
 * finds what the one before it kept). Internal; thread-safe.
 */
final class ChannelStates {
    private final InboxStore store;
    private final Clock clock;
    private final Map<String, ChannelState> states = new ConcurrentHashMap<>();

    ChannelStates(InboxStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Gives {@code channel} its state if it keeps any; returns the channel. */
    <C extends Channel> C bind(C channel) {
        if (channel instanceof StatefulChannel stateful) {
            stateful.bindState(states.computeIfAbsent(ChannelRegistry.key(channel.tenant(), channel.id()),
                    k -> store.keepsChannelState()
                            ? StoreChannelState.of(store, channel.tenant(), channel.id(), clock)
                            : ChannelState.inMemory(clock)));
        }
        return channel;
    }
}
