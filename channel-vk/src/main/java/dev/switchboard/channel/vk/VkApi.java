package dev.switchboard.channel.vk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.DepartureSpacing;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The VK API calls the channel makes, over OkHttp: {@code POST <apiBaseUrl>/<method>} with form parameters (POST
 * because message texts and keyboards exceed the 2 KB a GET may carry), {@code v} on every call and the token in the
 * {@code Authorization: Bearer} header, never in a URL. Answers are checked against the documented envelope
 * {@code {"response":...}} / {@code {"error":{"error_code","error_msg"}}}; failures become {@link VkApiError}s whose
 * texts never contain the token. Method calls are spaced on the wire to the token's rate limit
 * ({@link VkRequestSpacing}). Also performs the plain HTTP requests of the upload flow and the long poll.
 */
final class VkApi {
    private final OkHttpClient http;
    /** {@link #http} with the token's request spacing: every API method call goes through it. */
    private final OkHttpClient methods;
    private final HttpUrl base;
    private final String token;
    private final String version;
    private final ObjectMapper json;

    VkApi(OkHttpClient http, HttpUrl base, String token, String version, ObjectMapper json, int callsPerSecond) {
        this.http = http;
        // a derived client shares the dispatcher and the connection pool; only method calls count against the limit.
        // The spacing goes first among the network interceptors, so a host's own ones see each call as it leaves.
        OkHttpClient.Builder spaced = http.newBuilder();
        spaced.networkInterceptors().add(0, new VkRequestSpacing(callsPerSecond));
        this.methods = spaced.build();
        this.base = base;
        this.token = token;
        this.version = version;
        this.json = json;
    }

    ObjectMapper json() {
        return json;
    }

    OkHttpClient http() {
        return http;
    }

    /** {@code text} with the token masked, for anything that may end up in a log or an exception. */
    String redact(String text) {
        return text == null ? "" : text.replace(token, "***");
    }

    /** Calls {@code method} with {@code params}; completes with the {@code response} node. */
    CompletableFuture<JsonNode> call(String method, Map<String, String> params) {
        return call(method, params, DepartureSpacing.Lane.BULK);
    }

    /** {@link #call(String, Map)} departing by {@code lane} ({@link VkRequestSpacing}). */
    CompletableFuture<JsonNode> call(String method, Map<String, String> params, DepartureSpacing.Lane lane) {
        FormBody.Builder form = new FormBody.Builder();
        params.forEach(form::add);
        form.add("v", version);
        Request request = new Request.Builder()
                .url(base.newBuilder().addPathSegment(method).build())
                .header("Authorization", "Bearer " + token)
                .post(form.build())
                .tag(DepartureSpacing.Lane.class, lane)
                .build();
        return execute(methods, method, request, true);
    }

    /** A GET of a URL VK gave us (the long poll server); the answer is plain JSON, not the method envelope. */
    CompletableFuture<JsonNode> get(OkHttpClient client, String what, HttpUrl url) {
        return execute(client, what, new Request.Builder().url(url).get().build(), false);
    }

    /** Uploads one file as multipart {@code field} to an upload URL VK gave us; the answer is plain JSON. */
    CompletableFuture<JsonNode> upload(String what, HttpUrl uploadUrl, String field, String fileName, String mime,
                                       byte[] bytes) {
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart(field, fileName, RequestBody.create(bytes, MediaType.parse(mime)))
                .build();
        return execute(http, what, new Request.Builder().url(uploadUrl).post(body).build(), false);
    }

    /** Downloads bytes from a URL (a received photo or document, a media URL to re-upload). */
    CompletableFuture<Downloaded> download(HttpUrl url) {
        CompletableFuture<Downloaded> result = new CompletableFuture<>();
        http.newCall(new Request.Builder().url(url).get().build()).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                result.completeExceptionally(VkApiError.network("download", redact(e.toString()), null));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    ResponseBody body = response.body();
                    byte[] bytes = body == null ? new byte[0] : body.bytes();
                    if (!response.isSuccessful()) {
                        result.completeExceptionally(VkApiError.malformed("download", response.code(),
                                "download failed"));
                    } else {
                        MediaType type = body == null ? null : body.contentType();
                        result.complete(new Downloaded(bytes, type == null ? "application/octet-stream"
                                : type.type() + "/" + type.subtype()));
                    }
                } catch (IOException e) {
                    result.completeExceptionally(VkApiError.network("download", redact(e.toString()), null));
                }
            }
        });
        return result;
    }

    /** Downloaded bytes and the Content-Type they came with. */
    record Downloaded(byte[] bytes, String mimeType) {
    }

    private CompletableFuture<JsonNode> execute(OkHttpClient client, String what, Request request,
                                                boolean envelope) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        Call call = client.newCall(request);
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                result.completeExceptionally(VkApiError.network(what, redact(e.toString()), null));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    ResponseBody body = response.body();
                    byte[] bytes = body == null ? new byte[0] : body.bytes();
                    result.complete(parse(what, response.code(), bytes, envelope));
                } catch (IOException e) {
                    result.completeExceptionally(VkApiError.network(what, redact(e.toString()), null));
                } catch (VkApiError e) {
                    result.completeExceptionally(e);
                } catch (RuntimeException e) {
                    result.completeExceptionally(VkApiError.malformed(what, response.code(),
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

    private JsonNode parse(String what, int status, byte[] bytes, boolean envelope) {
        JsonNode root;
        try {
            root = bytes.length == 0 ? null : json.readTree(bytes);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw VkApiError.malformed(what, status, "answer is not VK JSON");
        }
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
            int code = error.path("error_code").asInt(0);
            return throwing(VkApiError.fromApi(what, code, redact(error.path("error_msg").asText("no message"))));
        }
        if (status >= 300) {
            throw VkApiError.malformed(what, status, "HTTP error");
        }
        if (!envelope) {
            return root;
        }
        JsonNode response = root.get("response");
        if (response == null) {
            throw VkApiError.malformed(what, status, "answer has neither response nor error");
        }
        return response;
    }

    private static JsonNode throwing(VkApiError e) {
        throw e;
    }
}
