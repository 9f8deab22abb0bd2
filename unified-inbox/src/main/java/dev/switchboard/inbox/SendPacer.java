package dev.switchboard.inbox;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paces sends to a channel's documented rate limits: one window for the whole channel
 * ({@link Capabilities#globalRateLimit()}) and one per recipient ({@link Capabilities#perRecipientRateLimit()}).
 * Each window remembers the start times of its last {@code permits} sends, so <em>no</em> interval of length
 * {@code period} ever holds more than {@code permits} sends (a token bucket would allow twice that across a refill
 * boundary). Permits are reservations of a future start time; a caller that would have to wait longer than it is
 * willing to gets told when to come back instead of waiting. Limits are per node. Thread-safe; internal.
 */
final class SendPacer {
    private final Map<String, ChannelWindows> channels = new ConcurrentHashMap<>();

    /**
     * Reserves a send slot for {@code recipient} on the channel and returns its start time (System.nanoTime based),
     * or, when the slot would be later than {@code latestNanos}, reserves nothing and returns the negated earliest
     * start time wrapped in {@link Slot#notBefore}.
     */
    Slot reserve(TenantId tenant, ChannelId channel, Capabilities caps, String recipient, long nowNanos,
                 long latestNanos) {
        if (caps.globalRateLimit().isEmpty() && caps.perRecipientRateLimit().isEmpty()) {
            return Slot.at(nowNanos);
        }
        ChannelWindows w = channels.computeIfAbsent(tenant.value() + "/" + channel.value(),
                k -> new ChannelWindows(caps.globalRateLimit(), caps.perRecipientRateLimit()));
        return w.reserve(recipient, nowNanos, latestNanos);
    }

    /** A reserved start time, or the earliest time to come back. */
    record Slot(boolean reserved, long nanos) {
        static Slot at(long nanos) {
            return new Slot(true, nanos);
        }

        static Slot notBefore(long nanos) {
            return new Slot(false, nanos);
        }
    }

    private static final class ChannelWindows {
        private final Window global;
        private final Optional<RateLimit> perRecipient;
        private final Map<String, Window> recipients = new HashMap<>();
        private long lastGlobal = Long.MIN_VALUE;

        ChannelWindows(Optional<RateLimit> global, Optional<RateLimit> perRecipient) {
            this.global = global.map(Window::new).orElse(null);
            this.perRecipient = perRecipient;
        }

        synchronized Slot reserve(String recipient, long now, long latest) {
            Window r = perRecipient.map(limit -> recipients.computeIfAbsent(recipient, k -> new Window(limit)))
                    .orElse(null);
            long t = now;
            if (global != null) {
                // keep the channel's reservations in time order so the window arithmetic stays exact
                t = Math.max(t, Math.max(global.earliest(now), lastGlobal));
            }
            if (r != null) {
                t = Math.max(t, r.earliest(now));
            }
            if (t - latest > 0) {
                return Slot.notBefore(t);
            }
            if (global != null) {
                global.record(t);
                lastGlobal = t;
            }
            if (r != null) {
                r.record(t);
            }
            if (recipients.size() > 10_000) {
                recipients.values().removeIf(w -> w.idleSince(now));
            }
            return Slot.at(t);
        }
    }

    /** The start times of the last {@code permits} sends, as a ring. */
    private static final class Window {
        private final long periodNanos;
        private final long[] starts;
        private int next;
        private int count;

        Window(RateLimit limit) {
            this.periodNanos = limit.period().toNanos();
            this.starts = new long[limit.permits()];
        }

        /** The earliest start that keeps every period-long interval within the limit. */
        long earliest(long now) {
            if (count < starts.length) {
                return now;
            }
            long oldest = starts[next]; // the permits-th most recent start
            return Math.max(now, oldest + periodNanos);
        }

        void record(long start) {
            starts[next] = start;
            next = (next + 1) % starts.length;
            count = Math.min(count + 1, starts.length);
        }

        boolean idleSince(long now) {
            int last = (next - 1 + starts.length) % starts.length;
            return count == 0 || now - starts[last] > periodNanos;
        }
    }
}
