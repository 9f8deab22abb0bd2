package dev.switchboard.channel.state;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

/**
 * Durable state of one channel: the records a channel must keep beyond a restart and share with every node running it
 * (Telegram's long button payloads, VK's per-account capabilities and message permissions, the website chat's history
 * and sessions). Scoped to one (tenant, channel): two channels never see each other's keys. The inbox binds each
 * channel to a state kept in its store ({@link StatefulChannel}); a channel used without an inbox keeps an
 * {@linkplain #inMemory() in-memory} state that lasts as long as the process.
 *
 * <p>Two kinds of data: <b>records</b> (key to text value, each with a version that grows on every write and an
 * optional expiry after which it reads as absent) with {@link #compareAndSet conditional writes} so nodes writing the
 * same key cannot lose each other's updates; and <b>logs</b> (append-only, per name, each entry numbered with a
 * sequence number that grows by one from 1) that a reader resumes after the last number it saw. Keys and log names
 * are at most {@value #MAX_KEY_LENGTH} characters; values are text of any length (channels store JSON).
 *
 * <p>Implementations are thread-safe. Stages complete after the write is durable (committed); a stage may complete on
 * the calling thread.
 */
public interface ChannelState {

    /** The longest key or log name, in characters. */
    int MAX_KEY_LENGTH = 200;

    /** The record of {@code key}; empty when there is none or it expired. */
    CompletionStage<Optional<StateRecord>> get(String key);

    /** Writes {@code value} under {@code key} whatever was there, without expiry; completes with the new record. */
    default CompletionStage<StateRecord> put(String key, String value) {
        return put(key, value, Optional.empty());
    }

    /**
     * Writes {@code value} under {@code key} whatever was there; it reads as absent once {@code ttl} has passed (none:
     * never). Completes with the new record.
     */
    CompletionStage<StateRecord> put(String key, String value, Optional<Duration> ttl);

    /**
     * Writes {@code value} under {@code key} only if the record's current version is {@code expectedVersion}
     * ({@code 0}: only if there is no record, or it expired). Completes with the new record, or empty when another
     * write got there first (read again and decide).
     */
    CompletionStage<Optional<StateRecord>> compareAndSet(String key, long expectedVersion, String value,
            Optional<Duration> ttl);

    /**
     * Writes {@code value} under {@code key} unless a live record is there; completes with the record now stored
     * (this one, or the one that was there first).
     */
    default CompletionStage<StateRecord> putIfAbsent(String key, String value, Optional<Duration> ttl) {
        return compareAndSet(key, 0, value, ttl).thenCompose(written -> written.isPresent()
                ? CompletableFuture.completedFuture(written.get())
                : get(key).thenCompose(now -> now.isPresent()
                        ? CompletableFuture.completedFuture(now.get())
                        : putIfAbsent(key, value, ttl)));
    }

    /** Removes the record of {@code key}; completes with whether a live one was there. */
    CompletionStage<Boolean> delete(String key);

    /** Appends {@code value} to the log {@code log}; completes with the entry and its sequence number. */
    default CompletionStage<LogEntry> append(String log, String value) {
        Objects.requireNonNull(value, "value");
        return append(log, seq -> value);
    }

    /**
     * Appends to the log {@code log} the value {@code valueOfSeq} makes of the sequence number the entry gets (for
     * values that carry their own number, such as a frame a client resumes from). {@code valueOfSeq} must be a pure
     * function: a store may call it more than once when a concurrent append took the number first.
     */
    CompletionStage<LogEntry> append(String log, LongFunction<String> valueOfSeq);

    /** The sequence number of the last entry of {@code log}; 0 when it has none. */
    CompletionStage<Long> lastSeq(String log);

    /**
     * Up to {@code limit} entries of {@code log} with a sequence number greater than {@code afterSeq}, oldest first
     * ({@code afterSeq} 0 reads from the beginning).
     */
    CompletionStage<List<LogEntry>> read(String log, long afterSeq, int limit);

    /**
     * Asks to be told soon after an entry is appended to {@code log} by this node or any other sharing this state, so
     * a reader can catch up at once instead of polling; empty when this state cannot tell (then poll). A call means
     * "read again": it carries no entry, may come when nothing new is there, and calls can be missed (a state
     * reconnecting to its database calls every watch once when it is back), so a reader keeps reading from the last
     * number it saw and keeps a slower poll as a safety net. {@code onAppend} runs on a thread of the state's, or on
     * the appending thread: it must return quickly and must not block (hand the work to an executor). The in-memory
     * state supports it; a state kept in an inbox store supports it when the store does (PostgreSQL with
     * {@code LISTEN}/{@code NOTIFY}, the in-memory store).
     */
    default Optional<Watch> watch(String log, Runnable onAppend) {
        return Optional.empty();
    }

    /** A registration made by {@link #watch}; closing it stops the calls (idempotent). */
    @FunctionalInterface
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /** A state kept in this process's memory (for channels used without an inbox, and tests), on the system clock. */
    static ChannelState inMemory() {
        return new InMemoryChannelState(Clock.systemUTC());
    }

    /** A state kept in this process's memory whose expiries follow {@code clock}. */
    static ChannelState inMemory(Clock clock) {
        return new InMemoryChannelState(clock);
    }

    /** Checks a key or log name: not blank, at most {@value #MAX_KEY_LENGTH} characters. */
    static String checkKey(String key) {
        if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("a channel state key must be 1.." + MAX_KEY_LENGTH
                    + " characters, not blank: " + (key == null ? "null" : key.length() + " characters"));
        }
        return key;
    }
}
