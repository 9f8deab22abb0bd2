package dev.switchboard.bench.telegram;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A fake Bot API for load runs that enforces Telegram's send limits the way flood control does: a per-bot bucket
 * ({@code globalPerSecond}) and a per-chat bucket ({@code perChatPerSecond}), each refilled continuously and holding
 * a small burst allowance, and a real {@code 429 Too Many Requests: retry after N} answer (body
 * {@code parameters.retry_after} and {@code Retry-After} header) when a send would exceed either. Limits are given
 * already time-scaled by the harness.
 */
final class RateLimitedBotApi implements AutoCloseable {
    private static final Pattern PATH = Pattern.compile("/bot[^/]+/(\\w+)");
    private static final Pattern CHAT = Pattern.compile("\"chat_id\"\\s*:\\s*\"?(-?\\d+)");

    private final MockWebServer server = new MockWebServer();
    private final Bucket global;
    private final double perChatPerSecond;
    private final double perChatBurst;
    private final ConcurrentHashMap<Long, Bucket> perChat = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, AtomicLong> messageIds = new ConcurrentHashMap<>();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected429 = new AtomicLong();
    /** nanoTime of the first and the latest accepted send since the last {@link #reset()} (0: none yet). */
    final AtomicLong firstAcceptedNanos = new AtomicLong();
    final AtomicLong lastAcceptedNanos = new AtomicLong();

    RateLimitedBotApi(double globalPerSecond, double globalBurst, double perChatPerSecond, double perChatBurst)
            throws IOException {
        this.global = new Bucket(globalPerSecond, globalBurst);
        this.perChatPerSecond = perChatPerSecond;
        this.perChatBurst = perChatBurst;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handle(request);
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    HttpUrl baseUrl() {
        return server.url("/");
    }

    void reset() {
        global.reset();
        perChat.clear();
        accepted.set(0);
        rejected429.set(0);
        firstAcceptedNanos.set(0);
        lastAcceptedNanos.set(0);
    }

    private MockResponse handle(RecordedRequest request) {
        Matcher m = PATH.matcher(request.getPath() == null ? "" : request.getPath());
        if (!m.matches() || !m.group(1).equals("sendMessage")) {
            return json(404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
        }
        Matcher c = CHAT.matcher(request.getBody().readUtf8());
        if (!c.find()) {
            return json(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat_id is empty\"}");
        }
        long chat = Long.parseLong(c.group(1));
        long now = System.nanoTime();
        Bucket chatBucket = perChat.computeIfAbsent(chat, k -> new Bucket(perChatPerSecond, perChatBurst));
        // Check both before taking from either, so a refused send costs nothing.
        synchronized (this) {
            double waitGlobal = global.waitSeconds(now);
            double waitChat = chatBucket.waitSeconds(now);
            if (waitGlobal > 0 || waitChat > 0) {
                rejected429.incrementAndGet();
                long retryAfter = Math.max(1, (long) Math.ceil(Math.max(waitGlobal, waitChat)));
                return json(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after "
                        + retryAfter + "\",\"parameters\":{\"retry_after\":" + retryAfter + "}}")
                        .addHeader("Retry-After", Long.toString(retryAfter));
            }
            global.take(now);
            chatBucket.take(now);
            firstAcceptedNanos.compareAndSet(0, now);
            lastAcceptedNanos.set(now);
        }
        accepted.incrementAndGet();
        long id = messageIds.computeIfAbsent(chat, k -> new AtomicLong()).incrementAndGet();
        return json(200, "{\"ok\":true,\"result\":{\"message_id\":" + id + ",\"date\":1763900000,\"chat\":{\"id\":"
                + chat + ",\"type\":\"private\"},\"text\":\"ok\"}}");
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).addHeader("Content-Type", "application/json")
                .setBody(body);
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }

    /** A token bucket: {@code capacity} tokens, refilled at {@code perSecond}. */
    private static final class Bucket {
        private final double perSecond;
        private final double capacity;
        private double tokens;
        private long last = System.nanoTime();

        Bucket(double perSecond, double capacity) {
            this.perSecond = perSecond;
            this.capacity = capacity;
            this.tokens = capacity;
        }

        synchronized void reset() {
            tokens = capacity;
            last = System.nanoTime();
        }

        synchronized double waitSeconds(long now) {
            refill(now);
            return tokens >= 1 ? 0 : (1 - tokens) / perSecond;
        }

        synchronized void take(long now) {
            refill(now);
            tokens -= 1;
        }

        private void refill(long now) {
            if (now > last) {
                tokens = Math.min(capacity, tokens + (now - last) / 1e9 * perSecond);
                last = now;
            }
        }
    }
}
