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
 * a GCRA (generic cell rate algorithm) with emission interval {@code period / permits}: sends are spaced one interval
 * apart (a send held up a little may be made up for, at most 10 ms early), so a whole period's budget is never spent
 * at once (the platforms' flood control tolerates only a small burst), and no interval of length {@code period} ever
 * holds more than {@code permits} sends. Campaign messages leave a reply reserve on busy channels (see
 * {@link #tryAcquire(TenantId, ChannelId, Capabilities, String, String, boolean)}), so a reply does not wait behind a
 * campaign. Permits are taken only when free now; a caller that would have to wait is told when to come back. Cluster-wide pacing on top of this is {@link ClusterSendPacing}. Thread-safe; internal.
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
     * {@link Permit#started()}, which records the real start time in the limit's window, so the limit holds as the
     * platform measures it even when a send began late.
     */
    Permit tryAcquire(TenantId tenant, ChannelId channel, Capabilities caps, String recipient) {
        return schedules(tenant, channel, caps).tryAcquire(recipient, nanoTime.getAsLong(), null, false);
    }

    /**
     * Like {@link #tryAcquire(TenantId, ChannelId, Capabilities, String)}, with a priority. A {@code lowPriority}
     * send (a campaign's marketing message) gets no permit while a normal send (a reply) of the channel waits for
     * the channel's schedule, so replies take the free slots first and campaigns only the slots nobody else wants.
     * On a channel allowing 20 or more sends per period ({@link #replyReserve(RateLimit)}) a campaign also leaves
     * one send per period free: it is spaced at {@code period / (permits - 1)} and starts only while the window of
     * the last period keeps a send free after it, and a normal send takes that reserve at once, without waiting for
     * the campaign's spacing; the campaign's next message waits for it instead.
     * {@code rowId} identifies the waiting send until it gets its permit (or a little after its retry time, should it
     * go back to the table).
     */
    Permit tryAcquire(TenantId tenant, ChannelId channel, Capabilities caps, String recipient, String rowId,
                      boolean lowPriority) {
        return schedules(tenant, channel, caps).tryAcquire(recipient, nanoTime.getAsLong(), rowId, lowPriority);
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
        static final Permit UNLIMITED = new Permit(true, 0, null, null, -1, -1, Optional.empty());

        private final boolean granted;
        private final long retryAtNanos;
        private final ChannelSchedules owner;
        private final Gcra recipient;
        private final long globalGen;
        private final long recipientGen;
        /** When the recipient is paused by a retry-after: the exact instant rows must wait for. */
        private final Optional<Instant> pausedUntil;

        private Permit(boolean granted, long retryAtNanos, ChannelSchedules owner, Gcra recipient, long globalGen,
                       long recipientGen, Optional<Instant> pausedUntil) {
            this.granted = granted;
            this.retryAtNanos = retryAtNanos;
            this.owner = owner;
            this.recipient = recipient;
            this.globalGen = globalGen;
            this.recipientGen = recipientGen;
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
                owner.started(this);
            }
        }
    }

    private static final class ChannelSchedules {
        /** How long a waiting normal send holds campaigns back past its retry time, at least. */
        private static final long FORGET_AFTER = 200_000_000L;
        /** Every send of the channel: the even spacing of all sends and the window of the last real starts. */
        private final Gcra global;
        /**
         * With a reply reserve: the spacing of normal sends among themselves (they do not wait for the campaign's
         * spacing) and the campaign's own, slower spacing ({@code period / (permits - reserve)}).
         */
        private final Gcra normal;
        private final Gcra campaign;
        /** Sends per period that a campaign message leaves free in the window for replies (0 or 1). */
        private final int reserve;
        private final Optional<RateLimit> perRecipient;
        private final LongSupplier nanoTime;
        private final Map<String, Gcra> recipients = new HashMap<>();
        private final Map<String, Pause> pausedUntil = new HashMap<>();
        /** Normal sends waiting for the global schedule, by row id, with when to forget them (nanoTime). */
        private final Map<String, Long> waitingNormal = new HashMap<>();

        ChannelSchedules(Optional<RateLimit> global, Optional<RateLimit> perRecipient, LongSupplier nanoTime) {
            this.global = global.map(Gcra::new).orElse(null);
            this.reserve = global.map(SendPacer::replyReserve).orElse(0);
            this.normal = reserve > 0 ? Gcra.spacingOnly(global.get().period().toNanos(), global.get().permits())
                    : null;
            this.campaign = reserve > 0 ? Gcra.spacingOnly(global.get().period().toNanos(),
                    global.get().permits() - reserve) : null;
            this.perRecipient = perRecipient;
            this.nanoTime = nanoTime;
        }

        synchronized void pause(String recipient, Pause pause) {
            pausedUntil.merge(recipient, pause, (a, b) -> b.nanos() - a.nanos() > 0 ? b : a);
        }

        synchronized Permit tryAcquire(String recipient, long now, String rowId, boolean lowPriority) {
            Pause paused = pausedUntil.get(recipient);
            if (paused != null) {
                if (paused.nanos() - now > 0) {
                    return new Permit(false, paused.nanos(), null, null, -1, -1, Optional.of(paused.until()));
                }
                pausedUntil.remove(recipient);
            }
            if (global == null && perRecipient.isEmpty()) {
                return Permit.UNLIMITED;
            }
            Gcra r = perRecipient.map(limit -> recipients.computeIfAbsent(recipient, k -> new Gcra(limit)))
                    .orElse(null);
            long t = now;
            long globalAt = now;
            if (global != null) {
                globalAt = globalEarliest(now, lowPriority);
                t = later(t, globalAt);
            }
            if (r != null) {
                t = later(t, r.earliest(now));
            }
            if (lowPriority && global != null && normalWaiting(now)) {
                // a reply waits for the channel's next slot: it goes first, this send after it
                return new Permit(false, later(t, globalAt + global.intervalNanos), null, null, -1, -1,
                        Optional.empty());
            }
            if (t - now > 0) {
                if (!lowPriority && rowId != null && global != null && globalAt - now > 0) {
                    waitingNormal.put(rowId, globalAt + Math.max(4 * global.intervalNanos, FORGET_AFTER));
                }
                return new Permit(false, t, null, null, -1, -1, Optional.empty());
            }
            if (!lowPriority && rowId != null && !waitingNormal.isEmpty()) {
                waitingNormal.remove(rowId);
            }
            long g = global != null ? global.take(now) : -1;
            if (reserve > 0) {
                (lowPriority ? campaign : normal).take(now);
            }
            long rg = r != null ? r.take(now) : -1;
            if (recipients.size() > 10_000) {
                recipients.values().removeIf(w -> w != r && w.idleAt(now));
            }
            return new Permit(true, 0, this, r, g, rg, Optional.empty());
        }

        /**
         * The earliest start the channel's own limit allows. Without a reserve every send follows the one even
         * schedule. With one, a campaign message follows the schedule of all sends and its own slower one, and only
         * while the window keeps the reserve free after it; a normal send follows only the spacing of the normal
         * sends and the window's full count, so it uses the reserve at once instead of waiting behind the campaign
         * (whose next message then waits for it).
         */
        private long globalEarliest(long now, boolean lowPriority) {
            if (reserve == 0) {
                return global.earliest(now);
            }
            if (lowPriority) {
                long t = later(global.earliest(now, global.permits() - reserve), campaign.earliest(now));
                return later(t, global.spacedAt(now));
            }
            return later(global.windowAt(now, global.permits()), normal.earliest(now));
        }

        synchronized void started(Permit p) {
            long now = nanoTime.getAsLong();
            if (global != null) {
                global.startedAt(p.globalGen, now);
            }
            if (p.recipient != null) {
                p.recipient.startedAt(p.recipientGen, now);
            }
        }

        private boolean normalWaiting(long now) {
            if (waitingNormal.isEmpty()) {
                return false;
            }
            waitingNormal.values().removeIf(forgetAt -> now - forgetAt > 0);
            return !waitingNormal.isEmpty();
        }

        private static long later(long a, long b) {
            return b - a > 0 ? b : a;
        }
    }

    /**
     * How many sends per period a campaign leaves free for replies on a channel with this global limit: one when
     * that still leaves the campaign at least 95 % of the limit (20 or more permits per period), else none (the
     * campaign then only yields the next slot to a waiting reply).
     */
    static int replyReserve(RateLimit limit) {
        return limit.permits() >= MIN_PERMITS_FOR_RESERVE ? 1 : 0;
    }

    /** With fewer permits per period, one reserved send would cost the campaign more than 5 % of the rate. */
    static final int MIN_PERMITS_FOR_RESERVE = 20;

    /**
     * One schedule: a GCRA (the theoretical arrival time {@code tat} of the next send; a send may start up to
     * {@link #TOLERANCE} before it, and moves it one emission interval past the later of itself and now), capped by
     * a sliding window of the last {@code permits} real start times, so no period-long interval ever holds more than
     * {@code permits} sends. The tolerance lets a send that was held up a little (a busy timer, a slow thread) be made
     * up for by the next one instead of lowering the rate for good; it never lets more than the limit through, the
     * window sees to that. Times are nanoTime values, compared by difference so they may wrap.
     */
    static final class Gcra {
        /** How early against the even schedule a send may start, at most (and at most half an interval). */
        static final long TOLERANCE = 10_000_000L;
        private final long intervalNanos;
        private final long toleranceNanos;
        private final long periodNanos;
        private final long[] starts;
        private long generation;
        private long tat;

        Gcra(RateLimit limit) {
            this(limit.period().toNanos(), limit.permits(), limit.permits());
        }

        private Gcra(long periodNanos, int permits, int window) {
            this.intervalNanos = Math.max(1, periodNanos / permits);
            this.toleranceNanos = Math.min(TOLERANCE, intervalNanos / 2);
            this.periodNanos = periodNanos;
            this.starts = new long[window];
        }

        /** An even spacing of {@code permits} per period with no window of its own (the global one holds it). */
        static Gcra spacingOnly(long periodNanos, int permits) {
            return new Gcra(periodNanos, permits, 0);
        }

        int permits() {
            return starts.length;
        }

        /** The earliest start the even spacing alone allows. */
        long spacedAt(long now) {
            long even = tat - toleranceNanos;
            return generation == 0 || even - now <= 0 ? now : even;
        }

        /**
         * The earliest start after which the window of the last period holds at most {@code capacity} sends: the
         * {@code capacity}-th latest start must have left the window.
         */
        long windowAt(long now, int capacity) {
            if (starts.length == 0 || generation < capacity) {
                return now;
            }
            int n = (int) Math.min(generation, starts.length);
            long[] recent = new long[n];
            for (int i = 0; i < n; i++) {
                recent[i] = starts[i] - now; // relative, so a wrapped nanoTime still sorts right
            }
            java.util.Arrays.sort(recent);
            long windowed = now + recent[n - capacity] + periodNanos;
            return windowed - now > 0 ? windowed : now;
        }

        /** The earliest start both the spacing and the window (holding at most {@code capacity} sends) allow. */
        long earliest(long now, int capacity) {
            long t = spacedAt(now);
            long w = windowAt(now, capacity);
            return w - t > 0 ? w : t;
        }

        /** The earliest start allowed now: {@code now} itself, or later when the schedule or the window says so. */
        long earliest(long now) {
            return starts.length == 0 ? spacedAt(now) : earliest(now, starts.length);
        }

        /** Takes the slot at {@code now}; returns its generation for {@link #startedAt(long, long)}. */
        long take(long now) {
            tat = (generation > 0 && tat - now > 0 ? tat : now) + intervalNanos;
            if (starts.length > 0) {
                starts[(int) (generation % starts.length)] = now;
            }
            return generation++;
        }

        /** The send of {@code gen} really began at {@code start}: the window holds that time (if still in it). */
        void startedAt(long gen, long start) {
            if (gen >= 0 && starts.length > 0 && generation - gen <= starts.length) {
                int i = (int) (gen % starts.length);
                if (start - starts[i] > 0) {
                    starts[i] = start;
                }
            }
        }

        boolean idleAt(long now) {
            return generation == 0 || now - tat > periodNanos;
        }
    }
}
