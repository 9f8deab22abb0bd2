package dev.switchboard.channel.telegram.testing;

import dev.switchboard.testkit.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The published fake against the Bot API's documented behaviour, driven over HTTP as a channel would. */
class TelegramFakeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(90)).build();
    private TelegramFake fake;

    @AfterEach
    void close() {
        if (fake != null) {
            fake.close();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private record Answer(int status, JsonNode body, String retryAfterHeader) {
    }

    private Answer call(String token, String method, String json) throws IOException {
        Request request = new Request.Builder().url(fake.url() + "bot" + token + "/" + method)
                .post(RequestBody.create(json, MediaType.get("application/json"))).build();
        try (Response r = http.newCall(request).execute()) {
            String body = r.body() == null ? "" : r.body().string();
            return new Answer(r.code(), JSON.readTree(body), r.header("Retry-After", ""));
        }
    }

    private Answer send(long chat, String text) throws IOException {
        return call(fake.token(), "sendMessage", "{\"chat_id\":" + chat + ",\"text\":\"" + text + "\"}");
    }

    @Test
    void aLongPollIsWokenByAPushedUpdateAndTheOffsetConfirmsIt() throws Exception {
        fake = TelegramFake.builder().longPollCap(Duration.ofSeconds(50)).build();
        CompletableFuture<Answer> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return call(fake.token(), "getUpdates", "{\"timeout\":50}");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(WAIT).until(() -> fake.openPolls() == 1);

        long id = fake.pushText(424242001, "Ada Lovelace", "Where is my order?");

        Answer answer = poll.get();
        assertThat(answer.body().path("ok").asBoolean()).isTrue();
        JsonNode update = answer.body().path("result").get(0);
        assertThat(update.path("update_id").asLong()).isEqualTo(id);
        assertThat(update.path("message").path("text").asText()).isEqualTo("Where is my order?");
        assertThat(update.path("message").path("from").path("last_name").asText()).isEqualTo("Lovelace");
        assertThat(fake.pendingUpdateIds()).containsExactly(id);

        call(fake.token(), "getUpdates", "{\"offset\":" + (id + 1) + "}");
        assertThat(fake.pendingUpdateIds()).isEmpty();
    }

    @Test
    void aNewerPollEndsTheOlderOneWithTelegramsConflict() throws Exception {
        fake = TelegramFake.builder().longPollCap(Duration.ofSeconds(50)).build();
        CompletableFuture<Answer> older = CompletableFuture.supplyAsync(() -> {
            try {
                return call(fake.token(), "getUpdates", "{\"timeout\":50}");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(WAIT).until(() -> fake.openPolls() == 1);

        Answer newer = call(fake.token(), "getUpdates", "{\"timeout\":0}");

        assertThat(newer.status()).isEqualTo(200);
        assertThat(older.get().status()).isEqualTo(409);
        assertThat(older.get().body().path("description").asText())
                .startsWith("Conflict: terminated by other getUpdates request");
    }

    @Test
    void contactsAndCallbacksArriveInTheBotApiFormat() throws Exception {
        fake = new TelegramFake();
        fake.pushContact(424242001, "Ada Lovelace", "+447700900123");
        fake.pushCallback(424242001, "Ada", "order:42:cancel");

        JsonNode result = call(fake.token(), "getUpdates", "{}").body().path("result");

        JsonNode contact = result.get(0).path("message").path("contact");
        assertThat(contact.path("phone_number").asText()).isEqualTo("+447700900123");
        assertThat(contact.path("user_id").asLong()).isEqualTo(result.get(0).path("message").path("from")
                .path("id").asLong());
        JsonNode query = result.get(1).path("callback_query");
        assertThat(query.path("data").asText()).isEqualTo("order:42:cancel");
        assertThat(query.path("id").asText()).isNotEmpty();
        assertThat(query.path("message").path("chat").path("id").asLong()).isEqualTo(424242001L);
    }

    @Test
    void perChatAndGlobalLimitsAnswer429WithRetryAfterUntilTheBucketRefills() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
        fake = TelegramFake.builder().clock(clock).perChatRateLimit(1, 1).globalRateLimit(2, 2).build();

        assertThat(send(1, "a").status()).isEqualTo(200);
        Answer sameChat = send(1, "b");
        assertThat(sameChat.status()).isEqualTo(429);
        assertThat(sameChat.body().path("parameters").path("retry_after").asInt()).isEqualTo(1);
        assertThat(sameChat.body().path("description").asText()).isEqualTo("Too Many Requests: retry after 1");
        assertThat(sameChat.retryAfterHeader()).isEqualTo("1");
        assertThat(send(2, "c").status()).as("another chat has its own limit").isEqualTo(200);
        assertThat(send(3, "d").status()).as("the bot's global limit (2 in a burst) is used up").isEqualTo(429);

        clock.advance(Duration.ofSeconds(1));

        assertThat(send(1, "b").status()).isEqualTo(200);
        assertThat(fake.rateLimitedSends()).isEqualTo(2);
        assertThat(fake.delivered()).extracting(TelegramFake.Delivered::text).containsExactly("a", "c", "b");
        assertThat(fake.sent()).extracting(s -> s.recipient()).containsExactly("1", "2", "1");
    }

    @Test
    void scriptedErrorsAreAnsweredAsTheBotApiDoes() throws Exception {
        fake = new TelegramFake();
        fake.blockChat(777);
        fake.removeChat(778);
        fake.migrateChat(-4001, -1004001);
        fake.failNextSendWithServerError();

        assertThat(send(1, "x").status()).isEqualTo(500);
        assertThat(send(1, "x").status()).as("a scripted failure is used once").isEqualTo(200);
        Answer blocked = send(777, "x");
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.body().path("description").asText()).isEqualTo("Forbidden: bot was blocked by the user");
        assertThat(send(778, "x").body().path("description").asText()).isEqualTo("Bad Request: chat not found");
        assertThat(send(-4001, "x").body().path("parameters").path("migrate_to_chat_id").asLong())
                .isEqualTo(-1004001L);
        assertThat(call("987654321:AAwrongTokenButWellFormed_012345", "getMe", "{}").status()).isEqualTo(401);
        assertThat(call("not-a-token", "getMe", "{}").status()).isEqualTo(404);

        fake.revokeToken();

        assertThat(call(fake.token(), "getMe", "{}").status()).isEqualTo(401);
    }

    @Test
    void sendsAreCheckedLikeTelegram() throws Exception {
        fake = new TelegramFake();
        Answer badHtml = call(fake.token(), "sendMessage",
                "{\"chat_id\":1,\"text\":\"<b>unclosed\",\"parse_mode\":\"HTML\"}");
        assertThat(badHtml.status()).isEqualTo(400);
        assertThat(badHtml.body().path("description").asText()).startsWith("Bad Request: can't parse entities");
        assertThat(send(1, "x".repeat(4097)).body().path("description").asText())
                .isEqualTo("Bad Request: message is too long");
        Answer longData = call(fake.token(), "sendMessage", "{\"chat_id\":1,\"text\":\"t\",\"reply_markup\":"
                + "{\"inline_keyboard\":[[{\"text\":\"b\",\"callback_data\":\"" + "d".repeat(65) + "\"}]]}}");
        assertThat(longData.body().path("description").asText()).isEqualTo("Bad Request: BUTTON_DATA_INVALID");
        assertThat(fake.sent()).isEmpty();
        assertThat(TelegramFake.htmlToPlain("<b>A &amp; B</b>")).isEqualTo("A & B");
    }

    @Test
    void filesAreFoundByGetFileAndDownloadedFromTheFilePath() throws Exception {
        fake = new TelegramFake();
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};
        String fileId = fake.addFile("photo.jpg", jpeg);

        JsonNode file = call(fake.token(), "getFile", "{\"file_id\":\"" + fileId + "\"}").body().path("result");

        assertThat(file.path("file_size").asInt()).isEqualTo(5);
        try (Response r = http.newCall(new Request.Builder().url(fake.url() + "file/bot" + fake.token() + "/"
                + file.path("file_path").asText()).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().bytes()).isEqualTo(jpeg);
        }
        assertThat(call(fake.token(), "getFile", "{\"file_id\":\"nope\"}").status()).isEqualTo(400);
    }

    @Test
    void updatesArePushedToAWebhookUrlWithTheRegisteredSecretAndRetriedOnNon2xx() throws Exception {
        fake = new TelegramFake();
        List<String> secrets = new CopyOnWriteArrayList<>();
        List<String> bodies = new CopyOnWriteArrayList<>();
        AtomicInteger answers = new AtomicInteger();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/hook", exchange -> {
            secrets.add(String.valueOf(exchange.getRequestHeaders().getFirst(TelegramFake.SECRET_HEADER)));
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(answers.getAndIncrement() == 0 ? 500 : 200, -1);
            exchange.close();
        });
        hook.start();
        try {
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
            assertThat(call(fake.token(), "setWebhook", "{\"url\":\"" + url + "\",\"secret_token\":\"s3cret_-1\"}")
                    .status()).isEqualTo(200);
            assertThat(call(fake.token(), "getUpdates", "{}").status()).as("no polling while a webhook is set")
                    .isEqualTo(409);
            fake.pushTo(url);

            long id = fake.pushText(424242001, "Ada", "hello");

            assertThat(secrets).containsExactly("s3cret_-1", "s3cret_-1");
            assertThat(bodies).hasSize(2).allSatisfy(b -> assertThat(JSON.readTree(b).path("update_id").asLong())
                    .isEqualTo(id));
            assertThat(fake.webhookUrl()).contains(url);
            assertThat(fake.pendingUpdateIds()).as("pushed updates are not queued for getUpdates").isEmpty();
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void severalBotsHaveTheirOwnUpdatesAndTokens() throws Exception {
        String other = "555000111:otherBotTokenForTests_0123456789";
        fake = TelegramFake.builder().token(TelegramFake.TOKEN).token(other).build();
        fake.pushUpdate(other, JSON.createObjectNode().set("message", JSON.createObjectNode().put("text", "x")));

        assertThat(call(TelegramFake.TOKEN, "getUpdates", "{}").body().path("result")).isEmpty();
        assertThat(call(other, "getUpdates", "{}").body().path("result")).hasSize(1);
        assertThat(call(other, "getMe", "{}").body().path("result").path("id").asLong()).isEqualTo(555000111L);
        assertThat(fake.calls("getMe")).extracting(TelegramFake.ApiCall::botId).containsExactly(555000111L);
        assertThat(fake.toString()).doesNotContain("otherBotTokenForTests");
    }

    @Test
    void theBuilderNamesTheBadOptionWithoutShowingTheToken() {
        assertThatThrownBy(() -> TelegramFake.builder().token("secretWithoutId").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token")
                .hasMessageNotContaining("secretWithoutId");
        assertThatThrownBy(() -> TelegramFake.builder().perChatRateLimit(1, 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perChatRateLimit");
        assertThatThrownBy(() -> TelegramFake.builder().longPollCap(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longPollCap");
    }
}
