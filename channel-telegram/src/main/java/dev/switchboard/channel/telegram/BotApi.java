package dev.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.DepartureSpacing;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The handful of Bot API calls the channel makes, over OkHttp with JSON bodies (multipart for uploads). Every answer
 * is checked against the documented envelope {@code {"ok":true,"result":...}} / {@code {"ok":false,"error_code",
 * "description","parameters"}} and failures become {@link BotApiError}s whose texts never contain the token.
 */
final class BotApi {
    static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final TelegramTransport transport;
    private final HttpUrl base;
    private final String token;
    private final ObjectMapper json;
    private final Redactor redactor;
    /** This bot's message sends leave at most at Telegram's per-bot rate ({@link SpacedDepartures}). */
    private final DepartureSpacing messageSpacing;

    BotApi(TelegramTransport transport, HttpUrl base, String token, ObjectMapper json, Redactor redactor,
           DepartureSpacing messageSpacing) {
        this.transport = transport;
        this.base = base;
        this.token = token;
        this.json = json;
        this.redactor = redactor;
        this.messageSpacing = messageSpacing;
    }

    /**
     * Whether {@code method} sends a message, the calls Telegram's per-bot limit (about 30 per second) counts; chat
     * actions, callback answers, edits and reads are not spaced.
     */
    static boolean sendsAMessage(String method) {
        return (method.startsWith("send") && !method.equals("sendChatAction"))
                || method.equals("copyMessage") || method.equals("forwardMessage");
    }

    /**
     * The request for {@code method}, tagged with this bot's spacing (and the lane it departs by) when it sends a
     * message.
     */
    private Request request(String method, RequestBody body, DepartureSpacing.Lane lane) {
        Request.Builder request = new Request.Builder().url(methodUrl(method)).post(body);
        if (sendsAMessage(method)) {
            request.tag(DepartureSpacing.class, messageSpacing);
            request.tag(DepartureSpacing.Lane.class, lane);
        }
        return request.build();
    }

    ObjectMapper json() {
        return json;
    }

    Redactor redactor() {
        return redactor;
    }

    HttpUrl methodUrl(String method) {
        return base.newBuilder().addPathSegment("bot" + token).addPathSegment(method).build();
    }

    /**
     * A cancellable call of {@code method} with JSON {@code params}. The call holds a use of the transport until it
     * completes, so the shared resources outlive every call in flight.
     */
    InFlight call(String method, ObjectNode params) {
        return call(method, params, DepartureSpacing.Lane.BULK);
    }

    /** {@link #call(String, ObjectNode)} whose message send departs by {@code lane}. */
    InFlight call(String method, ObjectNode params, DepartureSpacing.Lane lane) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(params);
        } catch (IOException e) {
            InFlight failed = new InFlight(null);
            failed.result.completeExceptionally(BotApiError.invalid(method + ": cannot encode request: " + e));
            return failed;
        }
        Request request = request(method, RequestBody.create(body, JSON), lane);
        return execute(method, request);
    }

    /** A long poll of {@code method} through {@code client}, answered within {@code timeout}. */
    InFlight longPoll(LongPollClient client, String method, ObjectNode params, java.time.Duration timeout) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(params);
        } catch (IOException e) {
            InFlight failed = new InFlight(null);
            failed.result.completeExceptionally(BotApiError.invalid(method + ": cannot encode request: " + e));
            return failed;
        }
        LongPollClient.Pending pending = client.post(methodUrl(method), body, timeout);
        InFlight inFlight = new InFlight(pending::cancel);
        pending.answer().whenComplete((answer, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException
                        && failure.getCause() != null ? failure.getCause() : failure;
                inFlight.result.completeExceptionally(cause instanceof IOException
                        ? networkError(method, (IOException) cause)
                        : BotApiError.network(method, redactor.redact(cause.toString()), null));
                return;
            }
            try {
                inFlight.result.complete(parseResult(method, answer.status(), answer.body(), answer.retryAfter()));
            } catch (BotApiError e) {
                inFlight.result.completeExceptionally(e);
            } catch (RuntimeException e) {
                inFlight.result.completeExceptionally(BotApiError.malformed(method, answer.status(),
                        "unreadable answer: " + redactor.redact(e.toString())));
            }
        });
        return inFlight;
    }

    /** A multipart call: plain form fields plus one file part (uploads). */
    InFlight upload(String method, Map<String, String> fields, String fileField, String fileName, String mimeType,
                    byte[] bytes) {
        return upload(method, fields, fileField, fileName, mimeType, bytes, DepartureSpacing.Lane.BULK);
    }

    /** {@link #upload(String, Map, String, String, String, byte[])} departing by {@code lane}. */
    InFlight upload(String method, Map<String, String> fields, String fileField, String fileName, String mimeType,
                    byte[] bytes, DepartureSpacing.Lane lane) {
        MultipartBody.Builder form = new MultipartBody.Builder().setType(MultipartBody.FORM);
        fields.forEach(form::addFormDataPart);
        form.addFormDataPart(fileField, fileName, RequestBody.create(bytes, MediaType.parse(mimeType)));
        Request request = request(method, form.build(), lane);
        return execute(method, request);
    }

    /** Downloads a file by the {@code file_path} getFile returned, from {@code /file/bot<token>/<file_path>}. */
    CompletableFuture<byte[]> download(String filePath) {
        HttpUrl.Builder url = base.newBuilder().addPathSegment("file").addPathSegment("bot" + token);
        for (String segment : filePath.split("/")) {
            if (!segment.isEmpty()) {
                url.addPathSegment(segment);
            }
        }
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        TelegramTransport.Use use = transport.acquire();
        result.whenComplete((r, e) -> use.close());
        use.resources().okHttp().newCall(new Request.Builder().url(url.build()).get().build()).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                result.completeExceptionally(networkError("file download", e));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    ResponseBody body = response.body();
                    byte[] bytes = body == null ? new byte[0] : body.bytes();
                    if (!response.isSuccessful()) {
                        result.completeExceptionally(parseError("file download", response.code(), bytes,
                                response.header("Retry-After")));
                    } else {
                        result.complete(bytes);
                    }
                } catch (IOException e) {
                    result.completeExceptionally(networkError("file download", e));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }
        });
        return result;
    }

    private InFlight execute(String method, Request request) {
        TelegramTransport.Use use = transport.acquire();
        Call call;
        try {
            call = use.resources().okHttp().newCall(request);
        } catch (RuntimeException e) {
            use.close();
            throw e;
        }
        InFlight inFlight = new InFlight(call::cancel);
        inFlight.result.whenComplete((r, e) -> use.close());
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                inFlight.result.completeExceptionally(networkError(method, e));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    ResponseBody body = response.body();
                    byte[] bytes = body == null ? new byte[0] : body.bytes();
                    inFlight.result.complete(parseResult(method, response.code(), bytes,
                            response.header("Retry-After")));
                } catch (IOException e) {
                    inFlight.result.completeExceptionally(networkError(method, e));
                } catch (BotApiError e) {
                    inFlight.result.completeExceptionally(e);
                } catch (RuntimeException e) {
                    inFlight.result.completeExceptionally(BotApiError.malformed(method, response.code(),
                            "unreadable answer: " + redactor.redact(e.toString())));
                }
            }
        });
        return inFlight;
    }

    private BotApiError networkError(String method, IOException e) {
        return BotApiError.network(method, redactor.redact(e.toString()), redactor.redact(e));
    }

    private JsonNode parseResult(String method, int status, byte[] body, String retryAfterHeader) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root != null && root.path("ok").asBoolean(false) && root.has("result")) {
            return root.get("result");
        }
        throw parseError(method, status, body, retryAfterHeader);
    }

    private BotApiError parseError(String method, int status, byte[] body, String retryAfterHeader) {
        JsonNode root;
        try {
            root = body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        OptionalLong header = parseLong(retryAfterHeader);
        if (root == null || !root.isObject() || !root.has("ok")) {
            if (status == 429) {
                return BotApiError.fromApi(method, 429, "Too Many Requests", OptionalLong.empty(), header,
                        OptionalLong.empty());
            }
            return BotApiError.malformed(method, status, "answer is not Bot API JSON");
        }
        int code = root.path("error_code").isInt() ? root.path("error_code").asInt() : status;
        String description = redactor.redact(root.path("description").asText("no description"));
        JsonNode parameters = root.path("parameters");
        OptionalLong retryAfter = parameters.path("retry_after").canConvertToLong()
                ? OptionalLong.of(parameters.path("retry_after").asLong()) : OptionalLong.empty();
        OptionalLong migrate = parameters.path("migrate_to_chat_id").canConvertToLong()
                && parameters.path("migrate_to_chat_id").isIntegralNumber()
                ? OptionalLong.of(parameters.path("migrate_to_chat_id").asLong()) : OptionalLong.empty();
        return BotApiError.fromApi(method, code, description, retryAfter, header, migrate);
    }

    private static OptionalLong parseLong(String s) {
        if (s == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A call in flight: its future result, and how a stopping poller cancels it. */
    static final class InFlight {
        final CompletableFuture<JsonNode> result = new CompletableFuture<>();
        private final Runnable cancel;

        InFlight(Runnable cancel) {
            this.cancel = cancel;
        }

        void cancel() {
            if (cancel != null) {
                cancel.run();
            }
        }
    }
}
