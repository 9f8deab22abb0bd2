package dev.switchboard.channel.telegram;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** Long polls over a host's OkHttp client; each poll in flight occupies one of its dispatcher's threads. */
final class OkHttpLongPollClient implements LongPollClient {
    private final OkHttpClient client;

    OkHttpLongPollClient(OkHttpClient client) {
        this.client = client;
    }

    @Override
    public Pending post(HttpUrl url, byte[] json, Duration timeout) {
        Call call = client.newBuilder().readTimeout(timeout).build().newCall(new Request.Builder().url(url)
                .post(RequestBody.create(json, BotApi.JSON)).build());
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                answer.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    ResponseBody body = response.body();
                    answer.complete(new Answer(response.code(), body == null ? new byte[0] : body.bytes(),
                            response.header("Retry-After")));
                } catch (IOException e) {
                    answer.completeExceptionally(e);
                }
            }
        });
        return new Pending() {
            @Override
            public CompletableFuture<Answer> answer() {
                return answer;
            }

            @Override
            public void cancel() {
                call.cancel();
            }
        };
    }
}
