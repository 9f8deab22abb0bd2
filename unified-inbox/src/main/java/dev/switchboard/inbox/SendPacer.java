package dev.switchboard.inbox;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
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
     * Takes a send permit for {@code recipient} on the channel if one is free right now; otherwise takes nothing and
     * says when to try again (a {@link System#nanoTime()} value). The caller starts the send at once and then calls
     * {@link Permit#started()}, which moves the recorded start to after the platform call began: the windows then
     * hold times no earlier than the real starts, so the limit holds exactly as the platform measures it.
     */
    Permit tryAcquire(TenantId tenant, ChannelId channel, Capabilities caps, String recipient) {
        ChannelWindows w = channels.computeIfAbsent(tenant.value() + "/" + channel.value(),
                k -> new ChannelWindows(caps.globalRateLimit(), caps.perRecipientRateLimit()));
        return w.tryAcquire(recipient);
    }

    /**
     * Holds every send to {@code recipient} on the channel until {@code untilNanos}: after a platform answered 429
     * with a retry-after, the recipient's other messages wait too instead of provoking more 429s.
     */
    void pause(TenantId tenant, ChannelId channel, Capabilities caps, String recipient, long untilNanos,
               Instant until) {
        channels.computeIfAbsent(tenant.value() + "/" + channel.value(),
                k -> new ChannelWindows(caps.globalRateLimit(), caps.perRecipientRateLimit()))
                .pause(recipient, new Pause(untilNanos, until));
    }

    /** A recipient's sends held until a platform's retry-after ran out (as nanoTime, and as the row's instant). */
    private record Pause(long nanos, Instant until) {
    }

    /** A granted permit (call {@link #started()} once the send began), or when a permit may be free. */
    static final class Permit {
        static final Permit UNLIMITED = new Permit(true, 0, null, null, 0, 0);

        /** When the recipient is paused by a retry-after: the exact instant rows must wait for. */
        private Optional<Instant> pausedUntil = Optional.empty();

        private final boolean granted;
        private final long retryAtNanos;
        private final ChannelWindows owner;
        private final Window recipientWindow;
        private final long globalGen;
        private final long recipientGen;

        private Permit(boolean granted, long retryAtNanos, ChannelWindows owner, Window recipientWindow,
                       long globalGen, long recipientGen) {
            this.granted = granted;
            this.retryAtNanos = retryAtNanos;
            this.owner = owner;
            this.recipientWindow = recipientWindow;
            this.globalGen = globalGen;
            this.recipientGen = recipientGen;
        }

        boolean granted() {
            return granted;
        }

        long retryAtNanos() {
            return retryAtNanos;
        }

        Optional<Instant> pausedUntil() {
            return pausedUntil;
        }

        void started() {
            if (owner != null) {
                owner.started(this);
            }
        }
    }

    private static final class ChannelWindows {
        private final Window global;
        private final Optional<RateLimit> perRecipient;
        private final Map<String, Window> recipients = new HashMap<>();
        private final Map<String, Pause> pausedUntil = new HashMap<>();

        ChannelWindows(Optional<RateLimit> global, Optional<RateLimit> perRecipient) {
            this.global = global.map(Window::new).orElse(null);
            this.perRecipient = perRecipient;
        }

        synchronized void pause(String recipient, Pause pause) {
            pausedUntil.merge(recipient, pause, (a, b) -> b.nanos() - a.nanos() > 0 ? b : a);
        }

        synchronized Permit tryAcquire(String recipient) {
            long now = System.nanoTime();
            Pause paused = pausedUntil.get(recipient);
            if (paused != null) {
                if (paused.nanos() - now > 0) {
                    Permit p = new Permit(false, paused.nanos(), null, null, 0, 0);
                    p.pausedUntil = Optional.of(paused.until());
                    return p;
                }
                pausedUntil.remove(recipient);
            }
            if (global == null && perRecipient.isEmpty()) {
                return Permit.UNLIMITED;
            }
            Window r = perRecipient.map(limit -> recipients.computeIfAbsent(recipient, k -> new Window(limit)))
                    .orElse(null);
            long t = now;
            if (global != null) {
                t = Math.max(t, global.earliest(now));
            }
            if (r != null) {
                t = Math.max(t, r.earliest(now));
            }
            if (t - now > 0) {
                return new Permit(false, t, null, null, 0, 0);
            }
            long g = global != null ? global.record(now) : -1;
            long rg = r != null ? r.record(now) : -1;
            if (recipients.size() > 10_000) {
                recipients.values().removeIf(w -> w != r && w.idleSince(now));
            }
            return new Permit(true, 0, this, r, g, rg);
        }

        synchronized void started(Permit p) {
            long now = System.nanoTime();
            if (global != null) {
                global.moveTo(p.globalGen, now);
            }
            if (p.recipientWindow != null) {
                p.recipientWindow.moveTo(p.recipientGen, now);
            }
        }
    }

    /** The start times of the last {@code permits} sends (a ring; not necessarily sorted). */
    private static final class Window {
        private final long periodNanos;
        private final long[] starts;
        private long generation;

        Window(RateLimit limit) {
            this.periodNanos = limit.period().toNanos();
            this.starts = new long[limit.permits()];
        }

        /** The earliest start that keeps every period-long interval within the limit. */
        long earliest(long now) {
            if (generation < starts.length) {
                return now;
            }
            long oldest = starts[0];
            for (long s : starts) {
                if (s - oldest < 0) {
                    oldest = s;
                }
            }
            return Math.max(now, oldest + periodNanos);
        }

        long record(long start) {
            starts[(int) (generation % starts.length)] = start;
            return generation++;
        }

        /** Moves a recorded start later (to when the send really began), if it is still in the ring. */
        void moveTo(long gen, long start) {
            if (gen >= 0 && generation - gen <= starts.length) {
                int i = (int) (gen % starts.length);
                if (start - starts[i] > 0) {
                    starts[i] = start;
                }
            }
        }

        boolean idleSince(long now) {
            if (generation == 0) {
                return true;
            }
            long latest = starts[(int) ((generation - 1) % starts.length)];
            for (long s : starts) {
                if (s - latest > 0) {
                    latest = s;
                }
            }
            return now - latest > periodNanos;
        }
    }
}
