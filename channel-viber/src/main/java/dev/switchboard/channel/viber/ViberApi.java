package dev.switchboard.channel.viber;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The REST Bot API calls the channel makes, over OkHttp: {@code POST <apiBaseUrl>/<method>} with a JSON body and the
 * token in the {@code X-Viber-Auth-Token} header, never in a URL. Viber answers HTTP 200 with
 * {@code {"status":0,...}} on success and a non-zero {@code status} on failure; those become {@link ViberApiError}s
 * whose texts never contain the token. Method calls are spaced on the wire to the declared send rate
 * ({@link ViberRequestSpacing}). Also downloads received media from the URLs Viber gave.
 */
final class ViberApi {
    static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final OkHttpClient http;
    /** {@link #http} with the bot's request spacing: every API method call goes through it. */
    private final OkHttpClient methods;
    private final HttpUrl base;
    private final String token;
    private final ObjectMapper json;

    ViberApi(OkHttpClient http, HttpUrl base, String token, ObjectMapper json, int callsPerSecond) {
        this.http = http;
        // a derived client shares the dispatcher and the connection pool; only method calls are spaced, first
        // among the network interceptors so a host's own ones see each call as it leaves
        OkHttpClient.Builder spaced = http.newBuilder();
        spaced.networkInterceptors().add(0, new ViberRequestSpacing(callsPerSecond));
        this.methods = spaced.build();
        this.base = base;
        this.token = token;
        this.json = json;
    }

    ObjectMapper json() {
        return json;
    }

    /** {@code text} with the token masked, for anything that may end up in a log or an exception. */
    String redact(String text) {
        return text == null ? "" : text.replace(token, "***");
    }

    /** Calls {@code method} with {@code body}; completes with the whole answer (status 0). */
    CompletableFuture<JsonNode> call(String method, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(ViberApiError.invalid(method + ": cannot write JSON: " + e));
        }
        return call(method, bytes);
    }

    /** Calls {@code method} with a JSON body already written. */
    CompletableFuture<JsonNode> call(String method, byte[] body) {
        Request request = new Request.Builder()
                .url(base.newBuilder().addPathSegment(method).build())
                .header("X-Viber-Auth-Token", token)
                .post(RequestBody.create(body, JSON))
                .build();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        Call call = methods.newCall(request);
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                result.completeExceptionally(ViberApiError.network(method, redact(e.toString())));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    ResponseBody rb = response.body();
                    result.complete(parse(method, response.code(), rb == null ? new byte[0] : rb.bytes()));
                } catch (IOException e) {
                    result.completeExceptionally(ViberApiError.network(method, redact(e.toString())));
                } catch (ViberApiError e) {
                    result.completeExceptionally(e);
                } catch (RuntimeException e) {
                    result.completeExceptionally(ViberApiError.malformed(method, response.code(),
                            "unreadable answer: " + redact(e.toString())));
                }
            }
        });
        result.whenComplete((v, t) -> {
            if (result.isCancelled()) {
                call.cancel();
            }
        });
        return result;
    }

    private JsonNode parse(String method, int httpStatus, byte[] bytes) {
        JsonNode root;
        try {
            root = bytes.length == 0 ? null : json.readTree(bytes);
        } catch (IOException e) {
            root = null;
        }
        if (httpStatus != 200) {
            throw ViberApiError.malformed(method, httpStatus, "HTTP error");
        }
        if (root == null || !root.isObject() || !root.path("status").canConvertToInt()) {
            throw ViberApiError.malformed(method, httpStatus, "answer is not Viber JSON with a status");
        }
        int status = root.path("status").asInt();
        if (status != 0) {
            throw ViberApiError.fromStatus(method, status, redact(root.path("status_message").asText("no message")));
        }
        return root;
    }

    /** Downloads bytes from a URL Viber gave (a received picture, video or file). */
    CompletableFuture<Downloaded> download(HttpUrl url) {
        CompletableFuture<Downloaded> result = new CompletableFuture<>();
        http.newCall(new Request.Builder().url(url).get().build()).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                result.completeExceptionally(ViberApiError.network("download", redact(e.toString())));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    ResponseBody body = response.body();
                    byte[] bytes = body == null ? new byte[0] : body.bytes();
                    if (!response.isSuccessful()) {
                        result.completeExceptionally(ViberApiError.malformed("download", response.code(),
                                "download failed (Viber's media URLs expire)"));
                    } else {
                        MediaType type = body == null ? null : body.contentType();
                        result.complete(new Downloaded(bytes, type == null ? "application/octet-stream"
                                : type.type() + "/" + type.subtype()));
                    }
                } catch (IOException e) {
                    result.completeExceptionally(ViberApiError.network("download", redact(e.toString())));
                }
            }
        });
        return result;
    }

    /** Downloaded bytes and the Content-Type they came with. */
    record Downloaded(byte[] bytes, String mimeType) {
    }
}
