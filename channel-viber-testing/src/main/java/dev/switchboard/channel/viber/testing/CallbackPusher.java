package dev.switchboard.channel.viber.testing;

import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Delivers callbacks the way Viber does: one signed POST per callback ({@code X-Viber-Content-Signature}: hex
 * HMAC-SHA256 of the body keyed with the auth token), in order, sent again after a pause until answered 200, up to a
 * retry limit. Targets an in-process {@link WebhookHandler} or a URL.
 */
final class CallbackPusher {
    /** What answered a push. */
    record Answer(int status, byte[] body) {
        boolean ok() {
            return status == 200;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final ScheduledExecutorService executor;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
    private final Duration retryDelay;
    private final int maxRetries;
    private final String token;
    private volatile WebhookHandler handler;
    private volatile String url;

    CallbackPusher(String token, Duration retryDelay, int maxRetries) {
        this.token = token;
        this.retryDelay = retryDelay;
        this.maxRetries = maxRetries;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "viber-fake-callback");
            t.setDaemon(true);
            return t;
        });
    }

    void target(WebhookHandler handler) {
        this.handler = handler;
        this.url = null;
    }

    void target(String url) {
        this.url = url;
        this.handler = null;
    }

    void clear() {
        this.url = null;
        this.handler = null;
    }

    boolean hasTarget() {
        return handler != null || url != null;
    }

    String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pushes {@code body} once (blocking, on the pusher's thread so callbacks stay in order) with its signature. */
    Answer pushOnce(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return pushOnce(bytes, sign(bytes));
    }

    /** Pushes {@code body} once with the given signature header value (null: no header). */
    Answer pushOnce(byte[] body, String signature) {
        try {
            return executor.submit(() -> post(body, signature)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new Answer(599, String.valueOf(e).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Pushes {@code body} in the background, sending it again like Viber until it is answered 200. */
    void push(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String signature = sign(bytes);
        executor.execute(() -> attempt(bytes, signature, 0));
    }

    private void attempt(byte[] body, String signature, int retry) {
        Answer answer = post(body, signature);
        if (!answer.ok() && retry < maxRetries) {
            executor.schedule(() -> attempt(body, signature, retry + 1), retryDelay.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private Answer post(byte[] body, String signature) {
        WebhookHandler h = handler;
        if (h != null) {
            Map<String, List<String>> headers = signature == null
                    ? Map.of("Content-Type", List.of("application/json"))
                    : Map.of("Content-Type", List.of("application/json"), "X-Viber-Content-Signature",
                    List.of(signature));
            try {
                WebhookResponse r = h.handle(WebhookRequest.post(h.path(), headers, body)).toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
                return new Answer(r.status(), r.body());
            } catch (Exception e) {
                return new Answer(599, String.valueOf(e).getBytes(StandardCharsets.UTF_8));
            }
        }
        String target = url;
        if (target == null) {
            return new Answer(599, "no webhook set".getBytes(StandardCharsets.UTF_8));
        }
        Request.Builder request = new Request.Builder().url(target)
                .post(RequestBody.create(body, MediaType.get("application/json; charset=utf-8")));
        if (signature != null) {
            request.header("X-Viber-Content-Signature", signature);
        }
        try (Response r = http.newCall(request.build()).execute()) {
            return new Answer(r.code(), r.body() == null ? new byte[0] : r.body().bytes());
        } catch (IOException e) {
            return new Answer(599, e.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    void close() {
        executor.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
