package dev.switchboard.channel.telegram;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;

/**
 * Posts one JSON request whose answer may take as long as a long poll. The default implementation is non-blocking
 * (the JDK's HTTP client holds every bot's poll open on one selector thread); over a host's OkHttp client each poll
 * occupies a dispatcher thread.
 */
interface LongPollClient {

    /** The raw HTTP answer: status, body and the Retry-After header (null when absent). */
    record Answer(int status, byte[] body, String retryAfter) {
    }

    /** A request in flight: its answer (or an {@code IOException}), and a way to abandon it. */
    interface Pending {
        CompletableFuture<Answer> answer();

        void cancel();
    }

    Pending post(HttpUrl url, byte[] json, Duration timeout);
}
