package dev.switchboard.bench.vk;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp network interceptor on the channel's client that watches {@code messages.send}: it records when the first and the
 * last call VK accepted went out (for the send rate), and, when asked, loses the answer of a share of the calls after
 * VK accepted the message: the call reaches the fake, the customer gets the message, and the channel sees the read
 * time out, as when a response is lost on the way back. Which calls lose their answer is decided by a seeded
 * {@link Random} in call order. Thread-safe.
 */
final class SendTap implements Interceptor {
    private final double timeoutShare;
    private final Random random;
    final AtomicLong firstAcceptedNanos = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastAcceptedNanos = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong injectedTimeouts = new AtomicLong();
    private final java.util.Queue<Long> callStarts = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** @param timeoutShare the share of sends whose answer is lost after VK accepted them (0 for none) */
    SendTap(double timeoutShare, long seed) {
        this.timeoutShare = timeoutShare;
        this.random = new Random(seed);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!request.url().encodedPath().endsWith("/messages.send")) {
            return chain.proceed(request);
        }
        boolean lose;
        synchronized (random) {
            lose = timeoutShare > 0 && random.nextDouble() < timeoutShare;
        }
        long start = System.nanoTime();
        callStarts.add(start);
        Response response = chain.proceed(request);
        if (response.peekBody(64).string().startsWith("{\"response\"")) {
            accepted.incrementAndGet();
            firstAcceptedNanos.accumulateAndGet(start, Math::min);
            lastAcceptedNanos.accumulateAndGet(start, Math::max);
        }
        if (lose) {
            response.close();
            injectedTimeouts.incrementAndGet();
            throw new SocketTimeoutException("timeout (injected: the answer was lost after VK accepted the call)");
        }
        return response;
    }

    /** Sends per second between the first and the last accepted call. */
    double rate() {
        long n = accepted.get();
        double seconds = (lastAcceptedNanos.get() - firstAcceptedNanos.get()) / 1e9;
        return n > 1 && seconds > 0 ? (n - 1) / seconds : 0;
    }

    /**
     * How the calls went out on the wire (every messages.send, whatever the answer): the most calls in any one-second
     * window, and the shortest gap between two calls in milliseconds.
     */
    double[] wireSpacing() {
        long[] t = callStarts.stream().mapToLong(Long::longValue).sorted().toArray();
        int most = 0;
        long shortest = Long.MAX_VALUE;
        for (int i = 0, j = 0; i < t.length; i++) {
            while (t[i] - t[j] >= 1_000_000_000L) {
                j++;
            }
            most = Math.max(most, i - j + 1);
            if (i > 0) {
                shortest = Math.min(shortest, t[i] - t[i - 1]);
            }
        }
        return new double[] {most, t.length > 1 ? shortest / 1e6 : 0};
    }

    double seconds() {
        return accepted.get() > 1 ? (lastAcceptedNanos.get() - firstAcceptedNanos.get()) / 1e9 : 0;
    }
}
