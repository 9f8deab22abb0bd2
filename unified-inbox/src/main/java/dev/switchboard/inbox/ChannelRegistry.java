package dev.switchboard.inbox;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channels this node runs, by tenant and id, changeable while the inbox runs. Reads (every send looks its channel
 * up) see an immutable snapshot; changes replace it under a lock. A removed channel leaves a tombstone that fails
 * every send permanently, so outbox rows still queued for it end FAILED with a reason instead of being retried as if
 * the channel were only missing on this node. Internal; thread-safe.
 */
final class ChannelRegistry {
    private final Object lock = new Object();
    private volatile Map<String, ManagedChannel> active = Map.of();
    private final Map<String, Channel> removed = new ConcurrentHashMap<>();

    static String key(TenantId tenant, ChannelId channel) {
        return tenant.value() + "/" + channel.value();
    }

    Optional<ManagedChannel> get(TenantId tenant, ChannelId channel) {
        return Optional.ofNullable(active.get(key(tenant, channel)));
    }

    /** The configured channels in the order they were added. */
    Collection<ManagedChannel> all() {
        return active.values();
    }

    /** The instance the outbox sends a row of this channel through: the current one, or a removed one's tombstone. */
    Optional<Channel> forSending(TenantId tenant, ChannelId channel) {
        String k = key(tenant, channel);
        ManagedChannel m = active.get(k);
        return m != null ? Optional.of(m.current()) : Optional.ofNullable(removed.get(k));
    }

    /** Adds a channel. @throws IllegalStateException when the tenant already has a channel with this id */
    void add(ManagedChannel channel) {
        synchronized (lock) {
            if (active.containsKey(channel.key())) {
                throw new IllegalStateException("channel " + channel.key() + " is already configured; use"
                        + " replaceChannel to swap it");
            }
            Map<String, ManagedChannel> next = new LinkedHashMap<>(active);
            next.put(channel.key(), channel);
            active = Collections.unmodifiableMap(next);
            removed.remove(channel.key());
        }
    }

    /** Puts {@code channel} in the place of the one with its id; returns that one. */
    ManagedChannel replace(ManagedChannel channel) {
        synchronized (lock) {
            ManagedChannel old = active.get(channel.key());
            if (old == null) {
                throw new IllegalArgumentException("no channel " + channel.key() + " is configured; use addChannel");
            }
            Map<String, ManagedChannel> next = new LinkedHashMap<>(active);
            next.put(channel.key(), channel);
            active = Collections.unmodifiableMap(next);
            return old;
        }
    }

    /** Removes a channel, leaving a tombstone that fails its queued sends; returns it. */
    ManagedChannel remove(TenantId tenant, ChannelId channel) {
        String k = key(tenant, channel);
        synchronized (lock) {
            ManagedChannel old = active.get(k);
            if (old == null) {
                throw new IllegalArgumentException("no channel " + k + " is configured");
            }
            Map<String, ManagedChannel> next = new LinkedHashMap<>(active);
            next.remove(k);
            active = Collections.unmodifiableMap(next);
            removed.put(k, new RemovedChannel(old.current()));
            return old;
        }
    }

    List<ManagedChannel> snapshot() {
        return List.copyOf(active.values());
    }

    /** Stands in for a removed channel in the outbox: every send fails for good, naming the removal. */
    private record RemovedChannel(Channel was) implements Channel {
        @Override
        public ChannelId id() {
            return was.id();
        }

        @Override
        public ChannelType type() {
            return was.type();
        }

        @Override
        public TenantId tenant() {
            return was.tenant();
        }

        @Override
        public Capabilities capabilities() {
            return was.capabilities();
        }

        @Override
        public CompletionStage<Void> start(InboundSink sink) {
            return CompletableFuture.failedFuture(new IllegalStateException("channel " + was.tenant() + "/"
                    + was.id() + " was removed"));
        }

        @Override
        public CompletionStage<SendReceipt> send(OutboundMessage message) {
            return CompletableFuture.failedFuture(new ChannelException(new SendFailure(FailureKind.NOT_ALLOWED,
                    Optional.empty(), Optional.empty(), "channel " + was.tenant() + "/" + was.id()
                    + " was removed from the inbox before this message was sent")));
        }

        @Override
        public CompletionStage<Void> stop() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String toString() {
            return "RemovedChannel[" + was.tenant() + "/" + was.id() + "]";
        }
    }
}
