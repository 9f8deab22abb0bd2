package dev.switchboard.inbox;

import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.LogEntry;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.TransactionWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

/**
 * The {@link ChannelState} of one tenant's channel kept in an {@link InboxStore}: every read and write is one store
 * transaction, so nodes sharing the store (and the next run of this one) see the same records, and a
 * {@link #compareAndSet} is decided under the record's row lock. The inbox binds each stateful channel to one of these
 * when the store {@linkplain InboxStore#keepsChannelState() keeps channel state}; hosts and tests may build one with
 * {@link #of}. Thread-safe. Each stage completes on the calling thread, after the transaction committed.
 */
public final class StoreChannelState implements ChannelState {
    private final InboxStore store;
    private final TenantId tenant;
    private final ChannelId channel;
    private final Clock clock;

    private StoreChannelState(InboxStore store, TenantId tenant, ChannelId channel, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The state of {@code tenant}'s channel {@code channel} in {@code store}, with expiries on {@code clock}.
     *
     * @throws IllegalArgumentException when the store does not {@linkplain InboxStore#keepsChannelState() keep
     *     channel state}
     */
    public static StoreChannelState of(InboxStore store, TenantId tenant, ChannelId channel, Clock clock) {
        if (!store.keepsChannelState()) {
            throw new IllegalArgumentException("store " + store + " does not keep channel state");
        }
        return new StoreChannelState(store, tenant, channel, clock);
    }

    @Override
    public CompletionStage<Optional<StateRecord>> get(String key) {
        ChannelState.checkKey(key);
        return run(tx -> live(tx, key));
    }

    @Override
    public CompletionStage<StateRecord> put(String key, String value, Optional<Duration> ttl) {
        ChannelState.checkKey(key);
        Objects.requireNonNull(value, "value");
        checkTtl(ttl);
        return run(tx -> write(tx, key, value, ttl));
    }

    @Override
    public CompletionStage<Optional<StateRecord>> compareAndSet(String key, long expectedVersion, String value,
            Optional<Duration> ttl) {
        ChannelState.checkKey(key);
        Objects.requireNonNull(value, "value");
        checkTtl(ttl);
        return run(tx -> live(tx, key).map(StateRecord::version).orElse(0L) == expectedVersion
                ? Optional.of(write(tx, key, value, ttl)) : Optional.<StateRecord>empty());
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
        ChannelState.checkKey(key);
        return run(tx -> {
            boolean wasLive = live(tx, key).isPresent();
            tx.deleteChannelStateRecord(tenant, channel, key);
            return wasLive;
        });
    }

    @Override
    public CompletionStage<LogEntry> append(String log, LongFunction<String> valueOfSeq) {
        ChannelState.checkKey(log);
        Objects.requireNonNull(valueOfSeq, "valueOfSeq");
        return run(tx -> tx.appendChannelLog(tenant, channel, log,
                seq -> Objects.requireNonNull(valueOfSeq.apply(seq), "value"), clock.instant()));
    }

    @Override
    public CompletionStage<Long> lastSeq(String log) {
        ChannelState.checkKey(log);
        return run(tx -> tx.lastChannelLogSeq(tenant, channel, log));
    }

    @Override
    public CompletionStage<List<LogEntry>> read(String log, long afterSeq, int limit) {
        ChannelState.checkKey(log);
        if (afterSeq < 0 || limit < 1) {
            throw new IllegalArgumentException("afterSeq must be >= 0 and limit >= 1: " + afterSeq + ", " + limit);
        }
        return run(tx -> tx.channelLog(tenant, channel, log, afterSeq, limit));
    }

    /** Watches through the store ({@link InboxStore#watchChannelLog}); empty when the store cannot tell. */
    @Override
    public Optional<Watch> watch(String log, Runnable onAppend) {
        ChannelState.checkKey(log);
        return store.watchChannelLog(tenant, channel, log, Objects.requireNonNull(onAppend, "onAppend"));
    }

    private Optional<StateRecord> live(InboxTransaction tx, String key) {
        return tx.channelStateRecord(tenant, channel, key).filter(r -> !r.expiredAt(clock.instant()));
    }

    /** Writes over whatever is stored, expired or not, continuing its version so compare-and-set never sees a reuse. */
    private StateRecord write(InboxTransaction tx, String key, String value, Optional<Duration> ttl) {
        long previous = tx.channelStateRecord(tenant, channel, key).map(StateRecord::version).orElse(0L);
        Instant now = clock.instant();
        StateRecord r = new StateRecord(key, value, previous + 1, ttl.map(now::plus));
        tx.saveChannelStateRecord(tenant, channel, r);
        return r;
    }

    private static void checkTtl(Optional<Duration> ttl) {
        Objects.requireNonNull(ttl, "ttl").ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("ttl must be positive: " + t);
            }
        });
    }

    private <T> CompletionStage<T> run(TransactionWork<InboxTransaction, T> work) {
        try {
            return CompletableFuture.completedFuture(store.inTransaction(work));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public String toString() {
        return "StoreChannelState[" + tenant + "/" + channel + " in " + store + "]";
    }
}
