package dev.switchboard.channel.viber;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Keeps one bot's API calls within the send rate the channel declares at the moment they go on the wire: at most
 * {@code limit} calls leave in any window of one second plus a margin, and two calls leave at least half the even
 * spacing apart, however many threads call and however the HTTP client's dispatcher bunches them. The outbox paces
 * sends at the same rate, but the time between its decision and the request leaving the socket varies (dispatcher
 * queueing, a thread woken late on a busy machine), and a limit is counted where requests arrive: paced upstream
 * only, a loaded machine drew status 12 (too many requests). Departures are serialised and measured when they happen;
 * a call that left late lets the next one follow sooner (down to the minimum gap) as long as the window allows. The
 * margin ({@link #MARGIN_PER_CALL} per allowed call) leaves room for jitter. Calls wait on the calling thread (an
 * OkHttp dispatcher thread), in arrival order. The same mechanism as the VK channel's request spacing.
 */
final class ViberRequestSpacing implements Interceptor {
    /** Added to the one-second window per allowed call: 1 ms (2 % at 20 calls/s). */
    static final Duration MARGIN_PER_CALL = Duration.ofMillis(1);

    /** Waits for the given number of nanoseconds. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final int limit;
    private final long windowNanos;
    private final long minGapNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** Fair: calls leave in the order they asked. Held while waiting, so departures are strictly one at a time. */
    private final ReentrantLock gate = new ReentrantLock(true);
    /** The last {@code limit} departures, oldest at {@link #oldest} once full. */
    private final long[] departures;
    private int count;
    private int oldest;

    ViberRequestSpacing(int callsPerSecond) {
        this(callsPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    ViberRequestSpacing(int callsPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        this.limit = callsPerSecond;
        this.windowNanos = window(callsPerSecond).toNanos();
        this.minGapNanos = windowNanos / callsPerSecond / 2;
        this.departures = new long[callsPerSecond];
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /** The window {@code callsPerSecond} calls must spread over: one second plus the margin per call. */
    static Duration window(int callsPerSecond) {
        return Duration.ofSeconds(1).plus(MARGIN_PER_CALL.multipliedBy(callsPerSecond));
    }

    /**
     * Waits until a call may leave and records its departure; returns the departure time on the {@code nanoTime}
     * scale.
     */
    long awaitDeparture() throws InterruptedException {
        gate.lockInterruptibly();
        try {
            // re-read after every sleep: a wake-up may come early (spurious) or late (a busy machine)
            for (long wait = waitFrom(nanoTime.getAsLong()); wait > 0; wait = waitFrom(nanoTime.getAsLong())) {
                sleeper.sleep(wait);
            }
            long now = nanoTime.getAsLong();
            if (count < limit) {
                departures[(oldest + count++) % limit] = now;
            } else {
                departures[oldest] = now;
                oldest = (oldest + 1) % limit;
            }
            return now;
        } finally {
            gate.unlock();
        }
    }

    /** How long a call asking at {@code now} must still wait (zero or less: it may leave). */
    private long waitFrom(long now) {
        if (count == 0) {
            return 0;
        }
        long last = departures[(oldest + count - 1) % limit];
        long byGap = last + minGapNanos - now;
        return count < limit ? byGap : Math.max(byGap, departures[oldest] + windowNanos - now);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        try {
            awaitDeparture();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the bot's next request slot");
        }
        return chain.proceed(chain.request());
    }
}
