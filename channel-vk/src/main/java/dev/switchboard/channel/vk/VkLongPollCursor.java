package dev.switchboard.channel.vk;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a {@link VkChannel} keeps the Bots Long Poll {@code ts} it last committed, so that a poller started after a
 * crash, or on another node after the lease moved, continues from there and reads again what was received but not
 * committed, instead of starting from the {@code ts} of a new session and skipping it. The default,
 * {@link #inMemory()}, survives a stop and start of the channel but not the process; a host that needs crash safety
 * across processes stores it durably (a row in its database). {@link #save} is called from the poll thread after each
 * committed batch. Implementations must be thread-safe.
 */
public interface VkLongPollCursor {

    /** The last committed {@code ts}, or empty when nothing was committed yet. */
    Optional<String> load();

    /** Records {@code ts} as committed: everything before it is stored by the inbox. */
    void save(String ts);

    /** A cursor held in memory, shared by the channel's successive runs within one process. */
    static VkLongPollCursor inMemory() {
        AtomicReference<String> ts = new AtomicReference<>();
        return new VkLongPollCursor() {
            @Override
            public Optional<String> load() {
                return Optional.ofNullable(ts.get());
            }

            @Override
            public void save(String value) {
                ts.set(value);
            }

            @Override
            public String toString() {
                return "VkLongPollCursor.inMemory[" + ts.get() + "]";
            }
        };
    }
}
