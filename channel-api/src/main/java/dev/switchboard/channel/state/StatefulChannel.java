package dev.switchboard.channel.state;

/**
 * A channel that keeps {@link ChannelState}. The inbox calls {@link #bindState} once for every channel instance it
 * runs, on every node, before it starts the channel or sends through it, with a state kept in the inbox's store for
 * that channel's (tenant, channel id), so every node and every restart sees the same records. A channel used without
 * an inbox, or never bound, keeps an {@link ChannelState#inMemory() in-memory} state of its own.
 *
 * <p>Implemented by a {@link dev.switchboard.channel.Channel} next to that interface; channels that keep no state
 * need not implement it.
 */
public interface StatefulChannel {

    /**
     * Gives the channel the state to use from now on. Called before {@code start} and the first {@code send}; a
     * channel may refuse a second binding with {@link IllegalStateException}.
     */
    void bindState(ChannelState state);
}
