package dev.switchboard.channel.telegram;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Spaces sends to group chats (negative chat ids) to Telegram's 20 messages per minute per group. The channel's
 * declared per-recipient limit is the private-chat one (1/s) and {@code Capabilities} cannot express a second,
 * stricter limit for some recipients, so the channel enforces the group limit itself: each group gets a slot at most
 * every 3 s and a send waits for its slot.
 */
final class GroupPacer {
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<Long, Long> nextSlot = new ConcurrentHashMap<>();

    GroupPacer(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Reserves the next slot for {@code chatId} and returns how long to wait for it (zero for private chats). */
    long reserveDelayNanos(long chatId) {
        if (chatId >= 0) {
            return 0;
        }
        long now = nanoTime.getAsLong();
        long[] delay = new long[1];
        nextSlot.compute(chatId, (id, next) -> {
            long slot = next == null || next - now < 0 ? now : next;
            delay[0] = slot - now;
            return slot + intervalNanos;
        });
        return delay[0];
    }
}
