package dev.switchboard.inbox;

import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One node's health at one instant, from {@link Inbox#health()}: every configured channel (its own
 * {@link ChannelHealth} plus what the inbox knows: whether it should and does run on this node, since when it has been
 * interrupted and why, how often it was restarted or rebuilt), the store (answered a probe or not, and how fast), and
 * the background workers (alive, last completed round, errors). {@link #status()} sums it up for a load balancer or
 * a health endpoint: {@link Status#DOWN} when the store does not answer or a worker died, {@link Status#DEGRADED}
 * when a channel that should run here does not work or a worker's last round failed. Immutable.
 *
 * @param duplicatePlatformMessages inbound messages quarantined on this node since start because their platform
 *     message id was already stored for the same account under another event id
 */
public record InboxHealth(String nodeId, Instant at, Status status, List<ChannelReport> channels, StoreReport store,
                          List<Worker> workers, long duplicatePlatformMessages) {

    /** The node's overall state. */
    public enum Status { UP, DEGRADED, DOWN }

    public InboxHealth {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(status, "status");
        channels = List.copyOf(channels);
        Objects.requireNonNull(store, "store");
        workers = List.copyOf(workers);
    }

    /** The status that {@code channels}, {@code store} and {@code workers} add up to. */
    static Status summarise(List<ChannelReport> channels, StoreReport store, List<Worker> workers) {
        if (!store.reachable() || workers.stream().anyMatch(w -> !w.alive())) {
            return Status.DOWN;
        }
        if (channels.stream().anyMatch(c -> !c.healthy()) || workers.stream().anyMatch(Worker::failing)) {
            return Status.DEGRADED;
        }
        return Status.UP;
    }

    /** The report of one channel, if it is configured. */
    public Optional<ChannelReport> channel(TenantId tenant, ChannelId id) {
        return channels.stream().filter(c -> c.tenant().equals(tenant) && c.id().equals(id)).findFirst();
    }

    /** The report of one background worker by name ({@code outbox}, {@code feed-dispatcher}, ...). */
    public Optional<Worker> worker(String name) {
        return workers.stream().filter(w -> w.name().equals(name)).findFirst();
    }

    /**
     * One channel as this node sees it.
     *
     * @param shouldRunHere webhook and push channels always; a polling channel while this node holds its lease
     * @param runningHere started on this node and not stopped since
     * @param health what the channel reports of itself ({@link ChannelHealth.Status#UNKNOWN} if it does not)
     * @param interruptedSince since when the channel has not been receiving although it should (a lost lease, a
     *     failed start), until it runs again; the gap in receiving, visible here and in the logs
     * @param restarts how often the inbox started it again after a stop
     * @param rebuilds how often an instance refused to start again and the channel's factory built a new one
     */
    public record ChannelReport(TenantId tenant, ChannelId id, ChannelType type, ReceiveMode receiveMode,
                                boolean shouldRunHere, boolean runningHere, ChannelHealth health,
                                Optional<Instant> lastStartedAt, Optional<Instant> interruptedSince,
                                Optional<String> interruption, int restarts, int rebuilds,
                                Optional<String> lastStartError) {
        public ChannelReport {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(receiveMode, "receiveMode");
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(lastStartedAt, "lastStartedAt");
            Objects.requireNonNull(interruptedSince, "interruptedSince");
            Objects.requireNonNull(interruption, "interruption");
            Objects.requireNonNull(lastStartError, "lastStartError");
        }

        /** Not interrupted, and when it should run here: running and reporting itself up (or not reporting). */
        public boolean healthy() {
            return interruptedSince.isEmpty() && (!shouldRunHere || (runningHere && health.isUp()));
        }
    }

    /**
     * Whether the store answered a trivial transaction within the probe's time limit.
     *
     * @param latency how long the probe took, when it answered
     * @param error why it did not answer
     */
    public record StoreReport(boolean reachable, Optional<Duration> latency, Optional<String> error) {
        public StoreReport {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * One background worker of this node.
     *
     * @param alive its thread runs
     * @param lastRun when its loop last completed a round without failing
     * @param errors rounds that failed since start
     * @param failing its latest round failed (the store was down, say); it retries by itself
     */
    public record Worker(String name, boolean alive, Optional<Instant> lastRun, long errors,
                         Optional<String> lastError, Optional<Instant> lastErrorAt, boolean failing) {
        public Worker {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(lastRun, "lastRun");
            Objects.requireNonNull(lastError, "lastError");
            Objects.requireNonNull(lastErrorAt, "lastErrorAt");
        }
    }
}
