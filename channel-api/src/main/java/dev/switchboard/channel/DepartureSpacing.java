package dev.switchboard.channel;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Keeps one account's requests within a platform's per-second limit at the moment they leave for the platform: at
 * most {@code limit} requests depart in any window of one second plus a margin, and two requests depart at least half
 * the even spacing apart, however many threads ask and however an HTTP client's dispatcher bunches them. The outbox
 * paces sends at the declared rate, but the time between its decision and the request reaching the socket varies
 * (queueing in the client's dispatcher, a connection being set up, a thread woken late on a busy machine), and
 * platforms count requests as they arrive: paced upstream only, a burst of late requests can land together and draw a
 * rate-limit error. A channel therefore calls {@link #awaitDeparture()} right before a request goes on the wire (in an
 * HTTP client's network interceptor, for instance). Departures are serialised and measured when they happen; a request
 * that left late lets the next one follow sooner (down to the minimum gap) as long as the window allows, so late
 * wake-ups do not lower the rate. The margin ({@link #MARGIN_PER_CALL} per allowed request) leaves room for jitter
 * between this process and the platform's count. Requests wait on the calling thread, in arrival order
 * (thread-safe), except urgent ones ({@link #awaitUrgentDeparture()}), which do not queue behind bulk traffic.
 */
public final class DepartureSpacing {
    /** Added to the one-second window per allowed request: 1 ms (2 % at 20 requests/s, 3 % at 30/s). */
    public static final Duration MARGIN_PER_CALL = Duration.ofMillis(1);
    /** The minimum gap of the default spacing: half the even spacing, so late requests catch up. */
    public static final double CATCH_UP = 0.5;
    /** A minimum gap of the whole even spacing: requests never leave faster than the rate. */
    public static final double EVEN = 1.0;

    /**
     * Which way a request departs: {@link #BULK} ones queue fairly for the even spacing ({@link #awaitDeparture()}),
     * {@link #URGENT} ones (replies to customers) do not wait behind them ({@link #awaitUrgentDeparture()}). A channel
     * tags a message send as bulk when it is a campaign's marketing message.
     */
    public enum Lane {
        BULK, URGENT
    }

    /** Waits for the given number of nanoseconds (a seam for tests that drive a manual clock). */
    @FunctionalInterface
    public interface Sleeper {
        /** Sleeps about {@code nanos} nanoseconds; may wake early or late. */
        void sleep(long nanos) throws InterruptedException;
    }

    private final int limit;
    private final long windowNanos;
    private final long minGapNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /**
     * Fair: requests leave in the order they asked. Held while waiting, so bulk departures are strictly one at a
     * time; urgent ones ({@link #awaitUrgentDeparture()}) do not take it.
     */
    private final ReentrantLock gate = new ReentrantLock(true);
    /** The last {@code limit} departures, oldest at {@link #oldest} once full. */
    private final long[] departures;
    private int count;
    private int oldest;
    /** Guards the departures; held only to check and record, never while sleeping. */
    private final Object state = new Object();
    private final boolean urgentSkipsMargin;
    private boolean lastWasUrgent;
    private boolean anyUrgent;
    private long lastUrgent;
    /** The platform's own window, without the margin. */
    private static final long NOMINAL_WINDOW = 1_000_000_000L;

    /** Spacing for {@code requestsPerSecond} on the system's monotonic clock. */
    public DepartureSpacing(int requestsPerSecond) {
        this(requestsPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    /** Spacing for {@code requestsPerSecond} on the given clock ({@code nanoTime} scale) and sleeper. */
    public DepartureSpacing(int requestsPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        this(requestsPerSecond, CATCH_UP, nanoTime, sleeper);
    }

    /**
     * Spacing for {@code requestsPerSecond} where two requests leave at least {@code minGapShare} of the even spacing
     * apart: {@link #CATCH_UP} (0.5) lets requests that left late be followed sooner, which suits a platform that
     * counts requests in a sliding window (VK); {@link #EVEN} (1.0) never goes faster than the rate; values between
     * suit a platform that refills a small bucket continuously (Telegram's channel uses 0.8: its per-bot limit
     * tolerates only a short burst).
     */
    public DepartureSpacing(int requestsPerSecond, double minGapShare, LongSupplier nanoTime, Sleeper sleeper) {
        this(requestsPerSecond, minGapShare, false, nanoTime, sleeper);
    }

    /**
     * Like {@link #DepartureSpacing(int, double, LongSupplier, Sleeper)}; with {@code urgentSkipsMargin} an urgent
     * request right after a bulk one counts the platform's own one-second window, without the margin
     * ({@link #awaitUrgentDeparture()}). Suits a platform whose limit tolerates a short burst (Telegram's refilled
     * bucket), not one that counts a strict sliding window (VK), where jitter on the way could make the margin's
     * absence an error.
     */
    public DepartureSpacing(int requestsPerSecond, double minGapShare, boolean urgentSkipsMargin,
                            LongSupplier nanoTime, Sleeper sleeper) {
        this.urgentSkipsMargin = urgentSkipsMargin;
        ConfigChecks.check(requestsPerSecond > 0, "requestsPerSecond", requestsPerSecond, "positive");
        ConfigChecks.check(minGapShare > 0 && minGapShare <= 1, "minGapShare", minGapShare, "in (0, 1]");
        this.limit = requestsPerSecond;
        this.windowNanos = window(requestsPerSecond).toNanos();
        this.minGapNanos = (long) (windowNanos / requestsPerSecond * minGapShare);
        this.departures = new long[requestsPerSecond];
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The window {@code requestsPerSecond} requests must spread over: one second plus the margin per request. */
    public static Duration window(int requestsPerSecond) {
        return Duration.ofSeconds(1).plus(MARGIN_PER_CALL.multipliedBy(requestsPerSecond));
    }

    /** The number of requests allowed per window. */
    public int limit() {
        return limit;
    }

    /**
     * Waits until a request may leave and records its departure; returns the departure time on the {@code nanoTime}
     * scale.
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting (nothing is recorded)
     */
    public long awaitDeparture() throws InterruptedException {
        gate.lockInterruptibly();
        try {
            // re-read after every sleep: a wake-up may come early (spurious) or late (a busy machine), and an urgent
            // request may have left meanwhile
            while (true) {
                long wait;
                synchronized (state) {
                    long now = nanoTime.getAsLong();
                    wait = waitFrom(now);
                    if (wait <= 0) {
                        record(now, false);
                        return now;
                    }
                }
                sleeper.sleep(wait);
            }
        } finally {
            gate.unlock();
        }
    }

    /**
     * {@link #awaitDeparture()} for a {@link Lane#BULK} request, {@link #awaitUrgentDeparture()} for an
     * {@link Lane#URGENT} one.
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting (nothing is recorded)
     */
    public long awaitDeparture(Lane lane) throws InterruptedException {
        return lane == Lane.URGENT ? awaitUrgentDeparture() : awaitDeparture();
    }

    /**
     * Like {@link #awaitDeparture()} for a request that must not wait behind bulk traffic (a reply to a customer
     * while a campaign keeps the account busy): it does not queue behind the requests waiting in
     * {@link #awaitDeparture()}, and leaves as soon as the window allows and the minimum gap after the previous
     * <em>urgent</em> request has passed, however recently a bulk request left; the bulk traffic leaves it room in the
     * window (a campaign paced with a reply reserve). A spacing built with {@code urgentSkipsMargin} lets an urgent
     * request right after a bulk one count the window without the margin (at most {@code limit} requests in one
     * second). Urgent requests in a row keep the margin and the minimum gap among themselves, so they never go faster
     * than {@link #awaitDeparture()} would.
     * Returns the departure time on the {@code nanoTime} scale.
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting (nothing is recorded)
     */
    public long awaitUrgentDeparture() throws InterruptedException {
        while (true) {
            long wait;
            synchronized (state) {
                long now = nanoTime.getAsLong();
                wait = urgentWaitFrom(now);
                if (wait <= 0) {
                    record(now, true);
                    return now;
                }
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            sleeper.sleep(wait);
        }
    }

    private void record(long now, boolean urgent) {
        if (count < limit) {
            departures[(oldest + count++) % limit] = now;
        } else {
            departures[oldest] = now;
            oldest = (oldest + 1) % limit;
        }
        lastWasUrgent = urgent;
        if (urgent) {
            lastUrgent = now;
            anyUrgent = true;
        }
    }

    /** How long a request asking at {@code now} must still wait (zero or less: it may leave). */
    private long waitFrom(long now) {
        if (count == 0) {
            return 0;
        }
        long last = departures[(oldest + count - 1) % limit];
        long byGap = last + minGapNanos - now;
        return count < limit ? byGap : Math.max(byGap, departures[oldest] + windowNanos - now);
    }

    /** How long an urgent request asking at {@code now} must still wait (zero or less: it may leave). */
    private long urgentWaitFrom(long now) {
        long byGap = anyUrgent ? lastUrgent + minGapNanos - now : 0;
        if (count < limit) {
            return byGap;
        }
        long window = urgentSkipsMargin && !lastWasUrgent ? NOMINAL_WINDOW : windowNanos;
        return Math.max(byGap, departures[oldest] + window - now);
    }

    @Override
    public String toString() {
        return "DepartureSpacing[" + limit + " per " + window(limit).toMillis() + " ms]";
    }
}
