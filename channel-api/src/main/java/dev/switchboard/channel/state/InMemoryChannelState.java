package dev.switchboard.channel.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

/**
 * {@link ChannelState} in this process's memory: what a channel keeps when no inbox bound it to a store. Expired
 * records are dropped when they are next touched. Thread-safe (one monitor).
 */
final class InMemoryChannelState implements ChannelState {
    private final Clock clock;
    private final Map<String, StateRecord> records = new HashMap<>();
    private final Map<String, List<LogEntry>> logs = new HashMap<>();
    private final LogWatchers watchers = new LogWatchers();

    InMemoryChannelState(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized CompletionStage<Optional<StateRecord>> get(String key) {
        return CompletableFuture.completedFuture(live(ChannelState.checkKey(key)));
    }

    @Override
    public synchronized CompletionStage<StateRecord> put(String key, String value, Optional<Duration> ttl) {
        StateRecord previous = records.get(ChannelState.checkKey(key));
        return CompletableFuture.completedFuture(write(key, value, ttl, previous == null ? 0 : previous.version()));
    }

    @Override
    public synchronized CompletionStage<Optional<StateRecord>> compareAndSet(String key, long expectedVersion,
            String value, Optional<Duration> ttl) {
        Optional<StateRecord> current = live(ChannelState.checkKey(key));
        long currentVersion = current.map(StateRecord::version).orElse(0L);
        if (currentVersion != expectedVersion) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        StateRecord stored = records.get(key);
        return CompletableFuture.completedFuture(Optional.of(write(key, value, ttl,
                stored == null ? 0 : stored.version())));
    }

    @Override
    public synchronized CompletionStage<Boolean> delete(String key) {
        boolean wasLive = live(ChannelState.checkKey(key)).isPresent();
        records.remove(key);
        return CompletableFuture.completedFuture(wasLive);
    }

    @Override
    public CompletionStage<LogEntry> append(String log, LongFunction<String> valueOfSeq) {
        LogEntry entry;
        synchronized (this) {
            List<LogEntry> entries = logs.computeIfAbsent(ChannelState.checkKey(log), k -> new ArrayList<>());
            long seq = entries.size() + 1L;
            entry = new LogEntry(seq, Objects.requireNonNull(valueOfSeq.apply(seq), "value"), clock.instant());
            entries.add(entry);
        }
        watchers.fire(log); // outside the lock: a watcher may read the log at once
        return CompletableFuture.completedFuture(entry);
    }

    @Override
    public Optional<Watch> watch(String log, Runnable onAppend) {
        return Optional.of(watchers.add(ChannelState.checkKey(log), onAppend));
    }

    @Override
    public synchronized CompletionStage<Long> lastSeq(String log) {
        return CompletableFuture.completedFuture((long) logs.getOrDefault(ChannelState.checkKey(log), List.of())
                .size());
    }

    @Override
    public synchronized CompletionStage<List<LogEntry>> read(String log, long afterSeq, int limit) {
        checkRead(afterSeq, limit);
        List<LogEntry> entries = logs.getOrDefault(ChannelState.checkKey(log), List.of());
        int from = (int) Math.min(Math.max(afterSeq, 0), entries.size());
        int to = (int) Math.min((long) from + limit, entries.size());
        return CompletableFuture.completedFuture(List.copyOf(entries.subList(from, to)));
    }

    static void checkRead(long afterSeq, int limit) {
        if (afterSeq < 0 || limit < 1) {
            throw new IllegalArgumentException("afterSeq must be >= 0 and limit >= 1: " + afterSeq + ", " + limit);
        }
    }

    private Optional<StateRecord> live(String key) {
        StateRecord r = records.get(key);
        return r == null || r.expiredAt(clock.instant()) ? Optional.empty() : Optional.of(r);
    }

    private StateRecord write(String key, String value, Optional<Duration> ttl, long previousVersion) {
        StateRecord r = new StateRecord(key, Objects.requireNonNull(value, "value"), previousVersion + 1,
                expiry(clock.instant(), ttl));
        records.put(key, r);
        return r;
    }

    /** When a record written at {@code now} with {@code ttl} expires; a ttl must be positive. */
    static Optional<Instant> expiry(Instant now, Optional<Duration> ttl) {
        Objects.requireNonNull(ttl, "ttl");
        ttl.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("ttl must be positive: " + t);
            }
        });
        return ttl.map(now::plus);
    }
}
