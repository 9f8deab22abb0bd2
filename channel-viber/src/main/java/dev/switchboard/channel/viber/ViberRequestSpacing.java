package dev.switchboard.channel.viber;

import dev.switchboard.channel.DepartureSpacing;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.function.LongSupplier;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Keeps one bot token's API calls within the per-second rate Viber tolerates at the moment they go on the wire, with
 * channel-api's {@link DepartureSpacing}: the first network interceptor of the method-call client, so a call waits for
 * its slot after the dispatcher and the connection pool gave it a socket. Paced by the outbox alone, a loaded machine
 * drew status 12 (too many requests). Calls wait on the calling thread (an OkHttp dispatcher thread), in arrival
 * order.
 */
final class ViberRequestSpacing implements Interceptor {
    private final DepartureSpacing spacing;

    ViberRequestSpacing(int callsPerSecond) {
        this.spacing = new DepartureSpacing(callsPerSecond);
    }

    ViberRequestSpacing(int callsPerSecond, LongSupplier nanoTime, DepartureSpacing.Sleeper sleeper) {
        this.spacing = new DepartureSpacing(callsPerSecond, nanoTime, sleeper);
    }

    /** The window {@code callsPerSecond} calls must spread over: one second plus the margin per call. */
    static Duration window(int callsPerSecond) {
        return DepartureSpacing.window(callsPerSecond);
    }

    /** Waits until a call may leave and records its departure (see {@link DepartureSpacing#awaitDeparture()}). */
    long awaitDeparture() throws InterruptedException {
        return spacing.awaitDeparture();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        try {
            spacing.awaitDeparture();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the bot's next request slot");
        }
        return chain.proceed(chain.request());
    }
}
