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
import java.util.function.LongSupplier;

/**
 * Paces this node's sends to a channel's documented rate limits, evenly: one schedule for the whole channel
 * ({@link Capabilities#globalRateLimit()}) and one per recipient ({@link Capabilities#perRecipientRateLimit()}), each
 * a GCRA (generic cell rate algorithm) with emission interval {@code period / permits} and no burst allowance. A send
 * starts no earlier than one interval after the previous send on the same schedule, so no interval of length
 * {@code period} ever holds more than {@code permits} sends, and a whole period's budget is never spent at once (the
 * platforms' flood control tolerates only a small burst). Permits are taken only when free now; a caller that would
 * have to wait is told when to come back. Cluster-wide pacing on top of this is {@link ClusterSendPacing}.
 * Thread-safe; internal.
 */
final class SendPacer {
    private final Map<String, ChannelSchedules> channels = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    SendPacer() {
        this(System::nanoTime);
    }

    /** A pacer reading time from {@code nanoTime} (a {@link System#nanoTime()}-like source; tests control it). */
    SendPacer(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Takes a send permit for {@code recipient} on the channel if one is free right now; otherwise takes nothing and
     * says when to try again (a {@code nanoTime} value). The caller starts the send at once and then calls
     * {@link Permit#started()}, which moves the schedules to one interval after the real start, so a send that began
     * late never lets the next one follow it closer than the interval.
     */
    Permit tryAcquire(TenantId tenant, ChannelId channel, Capabilities caps, String recipient) {
        return schedules(tenant, channel, caps).tryAcquire(recipient, nanoTime.getAsLong());
    }

    /**
     * Holds every send to {@code recipient} on the channel until {@code untilNanos}: after a platform answered 429
     * with a retry-after, the recipient's other messages wait too instead of provoking more 429s.
     */
    void pause(TenantId tenant, ChannelId channel, Capabilities caps, String recipient, long untilNanos,
               Instant until) {
        schedules(tenant, channel, caps).pause(recipient, new Pause(untilNanos, until));
    }

    private ChannelSchedules schedules(TenantId tenant, ChannelId channel, Capabilities caps) {
        return channels.computeIfAbsent(tenant.value() + "/" + channel.value(),
                k -> new ChannelSchedules(caps.globalRateLimit(), caps.perRecipientRateLimit(), nanoTime));
    }

    /** A recipient's sends held until a platform's retry-after ran out (as nanoTime, and as the row's instant). */
    private record Pause(long nanos, Instant until) {
    }

    /** A granted permit (call {@link #started()} once the send began), or when a permit may be free. */
    static final class Permit {
        static final Permit UNLIMITED = new Permit(true, 0, null, null, Optional.empty());

        private final boolean granted;
        private final long retryAtNanos;
        private final ChannelSchedules owner;
        private final Gcra recipient;
        /** When the recipient is paused by a retry-after: the exact instant rows must wait for. */
        private final Optional<Instant> pausedUntil;

        private Permit(boolean granted, long retryAtNanos, ChannelSchedules owner, Gcra recipient,
                       Optional<Instant> pausedUntil) {
            this.granted = granted;
            this.retryAtNanos = retryAtNanos;
            this.owner = owner;
            this.recipient = recipient;
            this.pausedUntil = pausedUntil;
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
                owner.started(recipient);
            }
        }
    }

    private static final class ChannelSchedules {
        private final Gcra global;
        private final Optional<RateLimit> perRecipient;
        private final LongSupplier nanoTime;
        private final Map<String, Gcra> recipients = new HashMap<>();
        private final Map<String, Pause> pausedUntil = new HashMap<>();

        ChannelSchedules(Optional<RateLimit> global, Optional<RateLimit> perRecipient, LongSupplier nanoTime) {
            this.global = global.map(Gcra::new).orElse(null);
            this.perRecipient = perRecipient;
            this.nanoTime = nanoTime;
        }

        synchronized void pause(String recipient, Pause pause) {
            pausedUntil.merge(recipient, pause, (a, b) -> b.nanos() - a.nanos() > 0 ? b : a);
        }

        synchronized Permit tryAcquire(String recipient, long now) {
            Pause paused = pausedUntil.get(recipient);
            if (paused != null) {
                if (paused.nanos() - now > 0) {
                    return new Permit(false, paused.nanos(), null, null, Optional.of(paused.until()));
                }
                pausedUntil.remove(recipient);
            }
            if (global == null && perRecipient.isEmpty()) {
                return Permit.UNLIMITED;
            }
            Gcra r = perRecipient.map(limit -> recipients.computeIfAbsent(recipient, k -> new Gcra(limit)))
                    .orElse(null);
            long t = now;
            if (global != null) {
                t = later(t, global.earliest(now));
            }
            if (r != null) {
                t = later(t, r.earliest(now));
            }
            if (t - now > 0) {
                return new Permit(false, t, null, null, Optional.empty());
            }
            if (global != null) {
                global.take(now);
            }
            if (r != null) {
                r.take(now);
            }
            if (recipients.size() > 10_000) {
                recipients.values().removeIf(g -> g != r && g.idleAt(now));
            }
            return new Permit(true, 0, this, r, Optional.empty());
        }

        synchronized void started(Gcra recipient) {
            long now = nanoTime.getAsLong();
            if (global != null) {
                global.startedAt(now);
            }
            if (recipient != null) {
                recipient.startedAt(now);
            }
        }

        private static long later(long a, long b) {
            return b - a > 0 ? b : a;
        }
    }

    /**
     * One GCRA schedule: the theoretical arrival time of the next send ({@code tat}); a send may start when the
     * clock reaches it, and moves it one emission interval past the later of itself and now. Times are nanoTime
     * values, compared by difference so they may wrap.
     */
    static final class Gcra {
        private final long intervalNanos;
        private long tat;
        private boolean used;

        Gcra(RateLimit limit) {
            this.intervalNanos = Math.max(1, limit.period().toNanos() / limit.permits());
        }

        /** The earliest start allowed now: {@code now} itself, or the theoretical arrival time when that is later. */
        long earliest(long now) {
            return !used || now - tat >= 0 ? now : tat;
        }

        void take(long now) {
            tat = (used && tat - now > 0 ? tat : now) + intervalNanos;
            used = true;
        }

        /** The send really began at {@code start}: the next one may not follow closer than one interval. */
        void startedAt(long start) {
            long next = start + intervalNanos;
            if (next - tat > 0) {
                tat = next;
            }
        }

        boolean idleAt(long now) {
            return !used || now - tat > 0;
        }
    }
}
