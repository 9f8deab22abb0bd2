package dev.switchboard.channel.vk.testing;

import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Delivers events the way VK's Callback API does: one POST per event, in order, and again (with
 * {@code X-Retry-Counter}) after a short pause until the server answers 200 with the body {@code ok}, up to a retry
 * limit. Targets either an in-process {@link WebhookHandler} or a URL.
 */
final class CallbackPusher {
    /** What answered a push: status and body. */
    record Answer(int status, String body) {
        boolean ok() {
            return status == 200 && "ok".equals(body.trim());
        }
    }

    private final ScheduledExecutorService executor;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
    private final Duration retryDelay;
    private final int maxRetries;
    private volatile WebhookHandler handler;
    private volatile String url;

    CallbackPusher(Duration retryDelay, int maxRetries) {
        this.retryDelay = retryDelay;
        this.maxRetries = maxRetries;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "vk-fake-callback");
            t.setDaemon(true);
            return t;
        });
        this.executor = pool;
    }

    void target(WebhookHandler handler) {
        this.handler = handler;
        this.url = null;
    }

    void target(String url) {
        this.url = url;
        this.handler = null;
    }

    boolean hasTarget() {
        return handler != null || url != null;
    }

    /** Pushes {@code json} now (blocking) and returns the answer, with no retries: for confirmation requests. */
    Answer pushOnce(String json, int retryCounter) {
        try {
            return executor.submit(() -> post(json, retryCounter)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new Answer(599, String.valueOf(e));
        }
    }

    /** Pushes {@code json} in the background, retrying like VK until it is answered {@code ok}. */
    void push(String json) {
        executor.execute(() -> attempt(json, 0));
    }

    private void attempt(String json, int retry) {
        Answer answer = post(json, retry);
        if (!answer.ok() && retry < maxRetries) {
            executor.schedule(() -> attempt(json, retry + 1), retryDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private Answer post(String json, int retry) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        WebhookHandler h = handler;
        if (h != null) {
            Map<String, List<String>> headers = retry > 0
                    ? Map.of("Content-Type", List.of("application/json"), "X-Retry-Counter",
                    List.of(Integer.toString(retry)))
                    : Map.of("Content-Type", List.of("application/json"));
            try {
                WebhookResponse r = h.handle(WebhookRequest.post(h.path(), headers, body)).toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
                return new Answer(r.status(), r.bodyAsUtf8());
            } catch (Exception e) {
                return new Answer(599, String.valueOf(e));
            }
        }
        String target = url;
        if (target == null) {
            return new Answer(599, "no Callback API server set");
        }
        Request.Builder request = new Request.Builder().url(target)
                .post(RequestBody.create(body, MediaType.get("application/json; charset=utf-8")));
        if (retry > 0) {
            request.header("X-Retry-Counter", Integer.toString(retry));
        }
        try (Response r = http.newCall(request.build()).execute()) {
            return new Answer(r.code(), r.body() == null ? "" : r.body().string());
        } catch (IOException e) {
            return new Answer(599, e.toString());
        }
    }

    void close() {
        executor.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
