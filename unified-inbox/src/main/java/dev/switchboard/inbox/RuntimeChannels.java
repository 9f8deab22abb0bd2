package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adding, replacing and removing a tenant's channels while the inbox runs (onboarding a shop, rotating a token,
 * offboarding). The change is local to this node: the host makes it on every node (see docs/running.md). Webhook and
 * push channels start or stop at once; a polling channel is handed to the lease supervisor, which starts it on the
 * node that takes its lease. A removed channel's queued replies fail with a reason at their next attempt. Internal.
 */
final class RuntimeChannels {
    private static final Logger log = LoggerFactory.getLogger(RuntimeChannels.class);
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final ChannelRegistry registry;
    private final PollingSupervisor polling;
    private final Function<Channel, InboundSink> sinks;
    private final BooleanSupplier running;

    RuntimeChannels(ChannelRegistry registry, PollingSupervisor polling, Function<Channel, InboundSink> sinks,
                    BooleanSupplier running) {
        this.registry = registry;
        this.polling = polling;
        this.sinks = sinks;
        this.running = running;
    }

    CompletionStage<Void> add(ManagedChannel channel) {
        try (LogContext mdc = LogContext.of(channel.tenant(), channel.id())) {
            registry.add(channel);
            log.info("Channel {}/{} added", channel.tenant(), channel.id());
            return begin(channel);
        }
    }

    CompletionStage<Void> replace(ManagedChannel channel) {
        try (LogContext mdc = LogContext.of(channel.tenant(), channel.id())) {
            ManagedChannel old = registry.replace(channel);
            end(old);
            log.info("Channel {}/{} replaced by a new instance", channel.tenant(), channel.id());
            return begin(channel);
        }
    }

    CompletionStage<Void> remove(TenantId tenant, ChannelId id) {
        try (LogContext mdc = LogContext.of(tenant, id)) {
            ManagedChannel old = registry.remove(tenant, id);
            end(old);
            log.info("Channel {}/{} removed; replies still queued for it will fail", tenant, id);
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletionStage<Void> begin(ManagedChannel channel) {
        if (!running.getAsBoolean()) {
            return CompletableFuture.completedFuture(null);
        }
        if (channel.isPolling()) {
            polling.checkSoon();
            return CompletableFuture.completedFuture(null);
        }
        return channel.start(sinks).whenComplete((v, err) -> {
            if (err != null) {
                channel.interrupted("failed to start: " + ManagedChannel.unwrap(err));
                log.warn("Channel {}/{} failed to start: {}", channel.tenant(), channel.id(),
                        ManagedChannel.unwrap(err).toString());
            }
        });
    }

    private void end(ManagedChannel old) {
        if (!running.getAsBoolean()) {
            return;
        }
        if (old.isPolling()) {
            polling.release(old);
            polling.checkSoon();
        } else {
            old.stop(STOP_TIMEOUT_MS);
        }
    }
}
