package dev.switchboard.channel.vk;

import dev.switchboard.channel.DepartureSpacing;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.function.LongSupplier;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Keeps one community token's API calls within VK's per-second limit at the moment they go on the wire, with
 * channel-api's {@link DepartureSpacing}: the first network interceptor of the method-call client, so a call waits for
 * its slot after the dispatcher and the connection pool gave it a socket. Paced upstream only (the outbox), up to 21
 * calls landed in one second, 12 ms apart, and drew error 6. Calls wait on the calling thread (an OkHttp dispatcher
 * thread), in arrival order.
 */
final class VkRequestSpacing implements Interceptor {
    private final DepartureSpacing spacing;

    VkRequestSpacing(int callsPerSecond) {
        this.spacing = new DepartureSpacing(callsPerSecond);
    }

    VkRequestSpacing(int callsPerSecond, LongSupplier nanoTime, DepartureSpacing.Sleeper sleeper) {
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
            DepartureSpacing.Lane lane = chain.request().tag(DepartureSpacing.Lane.class);
            spacing.awaitDeparture(lane == null ? DepartureSpacing.Lane.BULK : lane);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the token's next request slot");
        }
        return chain.proceed(chain.request());
    }
}
