package dev.switchboard.channel.telegram;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;

/** Long polls over the JDK's non-blocking HTTP client: no thread is held while Telegram keeps a poll open. */
final class JdkLongPollClient implements LongPollClient {
    private final HttpClient client;

    JdkLongPollClient(HttpClient client) {
        this.client = client;
    }

    @Override
    public Pending post(HttpUrl url, byte[] json, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(url.uri()).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(new java.io.IOException("cannot send: " + e.getMessage(), e));
        }
        CompletableFuture<HttpResponse<byte[]>> call = sent;
        CompletableFuture<Answer> answer = call.thenApply(r -> new Answer(r.statusCode(), r.body(),
                r.headers().firstValue("Retry-After").orElse(null)));
        return new Pending() {
            @Override
            public CompletableFuture<Answer> answer() {
                return answer;
            }

            @Override
            public void cancel() {
                call.cancel(true);
            }
        };
    }
}
