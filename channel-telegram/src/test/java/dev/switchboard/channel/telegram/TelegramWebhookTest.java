package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.testkit.RecordingInboundSink;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook: secret token, ack after commit, and bad input quarantined without stopping the good input. */
class TelegramWebhookTest {
    private TelegramFake fake;
    private TelegramChannel channel;
    private RecordingInboundSink sink;
    private WebhookHandler handler;

    @BeforeEach
    void start() {
        fake = new TelegramFake();
        channel = TestChannels.webhook(fake).build();
        fake.bind(channel);
        sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().join();
        handler = channel.webhook().orElseThrow();
    }

    @AfterEach
    void stop() {
        channel.stop().toCompletableFuture().join();
        fake.close();
    }

    private byte[] fixture(String name, long id) {
        return Fixtures.withId(name, id).getBytes(StandardCharsets.UTF_8);
    }

    private WebhookResponse post(byte[] body, String secret) {
        return secret == null ? fake.postToWebhookWithoutSecret(body) : fake.postToWebhook(body, secret);
    }

    @Test
    void startRegistersTheWebhookWithSecretTokenAndAllowedUpdates() {
        TelegramFake.ApiCall set = fake.calls("setWebhook").get(0);
        assertThat(set.params().path("url").asText())
                .isEqualTo("https://bot.example.com/webhooks/telegram/telegram-test");
        assertThat(set.params().path("secret_token").asText()).isEqualTo(TestChannels.SECRET);
        assertThat(set.params().path("allowed_updates")).extracting(n -> n.asText())
                .containsExactly("message", "edited_message", "callback_query", "my_chat_member");
        assertThat(handler.path()).isEqualTo("/webhooks/telegram/telegram-test");
    }

    @Test
    void rightSecretIsProcessedAndAnswered200() {
        WebhookResponse r = post(fixture("text", 9001), TestChannels.SECRET);
        assertThat(r.status()).isEqualTo(200);
        assertThat(sink.eventsWithId("9001")).hasSize(1);
    }

    @Test
    void anUpdateWithAnOutOfRangeDateIsQuarantinedAndAnswered200NotRetriedAs500() {
        String body = "{\"update_id\":9050,\"message\":{\"message_id\":5,\"from\":{\"id\":77,\"is_bot\":false,"
                + "\"first_name\":\"Eve\"},\"chat\":{\"id\":77,\"type\":\"private\"},"
                + "\"date\":999999999999999999,\"text\":\"from the far future\"}}";
        WebhookResponse r = post(body.getBytes(StandardCharsets.UTF_8), TestChannels.SECRET);
        assertThat(r.status()).isEqualTo(200);
        assertThat(sink.events()).isEmpty();
        assertThat(sink.rejected()).hasSize(1);
        assertThat(sink.rejected().get(0).platformEventId()).contains("9050");
        assertThat(sink.rejected().get(0).reason()).contains("date");
        assertThat(post(fixture("text", 9051), TestChannels.SECRET).status()).isEqualTo(200);
        assertThat(sink.eventsWithId("9051")).hasSize(1);
    }

    @Test
    void missingSecretIs401AndNotProcessed() {
        WebhookResponse r = post(fixture("text", 9002), null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(sink.events()).isEmpty();
        assertThat(sink.rejected()).isEmpty();
    }

    @Test
    void wrongSecretIs401AndNotProcessed() {
        for (String wrong : List.of("webhook_Secret-012345678", "webhook_Secret-0123456789x", "",
                TestChannels.SECRET.toUpperCase())) {
            WebhookResponse r = post(fixture("text", 9003), wrong);
            assertThat(r.status()).as("secret '%s'", wrong).isEqualTo(401);
            assertThat(r.bodyAsUtf8()).doesNotContain(TestChannels.SECRET);
        }
        assertThat(sink.events()).isEmpty();
    }

    @Test
    void answersOnlyAfterTheCommitAnd500WhenTheCommitFails() {
        CompletableFuture<Void> commit = new CompletableFuture<>();
        TelegramChannel slow = TestChannels.webhook(fake).build();
        slow.start(new InboundSink() {
            @Override
            public CompletionStage<Void> deliver(InboundEvent event) {
                return commit;
            }

            @Override
            public CompletionStage<Void> reject(RejectedInput input) {
                return commit;
            }
        }).toCompletableFuture().join();
        WebhookHandler h = slow.webhook().orElseThrow();
        CompletableFuture<WebhookResponse> answer = h.handle(WebhookRequest.post(h.path(),
                Map.of(TelegramWebhook.SECRET_HEADER, List.of(TestChannels.SECRET)), fixture("text", 9004)))
                .toCompletableFuture();
        assertThat(answer).as("no answer before the inbox committed").isNotDone();
        commit.complete(null);
        assertThat(answer.join().status()).isEqualTo(200);

        sink.failNextDeliveries(1);
        assertThat(post(fixture("text", 9005), TestChannels.SECRET).status())
                .as("a failed commit must make Telegram retry").isEqualTo(500);
        assertThat(post(fixture("text", 9005), TestChannels.SECRET).status()).isEqualTo(200);
        assertThat(sink.eventsWithId("9005")).hasSize(1);
        slow.stop().toCompletableFuture().join();
    }

    @Test
    void badInputIsQuarantinedOrRefusedAndTheGoodUpdatesAroundItStillArrive() {
        assertThat(post(fixture("text", 9101), TestChannels.SECRET).status()).isEqualTo(200);

        WebhookResponse malformed = post("{\"update_id\": 9102, \"message\": {".getBytes(StandardCharsets.UTF_8),
                TestChannels.SECRET);
        assertThat(malformed.status()).isEqualTo(200);

        WebhookResponse unknown = post(fixture("poll_unknown_type", 9103), TestChannels.SECRET);
        assertThat(unknown.status()).isEqualTo(200);

        byte[] huge = new byte[2 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        WebhookResponse tooBig = post(huge, TestChannels.SECRET);
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.bodyAsUtf8()).contains("1048576");

        byte[] invalidUtf8 = "{\"update_id\":9105,\"message\":{\"text\":\"\u00ff\"}}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(post(invalidUtf8, TestChannels.SECRET).status()).isEqualTo(200);

        WebhookResponse notAnObject = post("[1,2,3]".getBytes(StandardCharsets.UTF_8), TestChannels.SECRET);
        assertThat(notAnObject.status()).isEqualTo(200);

        byte[] brokenFields = "{\"update_id\":9107,\"message\":{\"message_id\":\"x\",\"chat\":5}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(post(brokenFields, TestChannels.SECRET).status()).isEqualTo(200);

        assertThat(post(fixture("callback_query", 9108), TestChannels.SECRET).status()).isEqualTo(200);

        assertThat(sink.events()).extracting(InboundEvent::eventId).containsExactly("9101", "9108");
        assertThat(sink.rejected()).extracting(RejectedInput::reason).satisfiesExactly(
                r -> assertThat(r).startsWith("malformed JSON"),
                r -> assertThat(r).contains("unsupported update type 'poll'"),
                r -> assertThat(r).isEqualTo("body is not valid UTF-8"),
                r -> assertThat(r).isEqualTo("update is not a JSON object"),
                r -> assertThat(r).contains("malformed update").contains("chat"));
        assertThat(sink.rejected().get(1).platformEventId()).contains("9103");
        assertThat(sink.rejected().get(2).raw()).isEqualTo(invalidUtf8);
    }

    @Test
    void quarantineThatFailsToCommitIsAnswered500() {
        sink.failNextDeliveries(1);
        assertThat(post("not json".getBytes(StandardCharsets.UTF_8), TestChannels.SECRET).status()).isEqualTo(500);
        assertThat(post("not json".getBytes(StandardCharsets.UTF_8), TestChannels.SECRET).status()).isEqualTo(200);
        assertThat(sink.rejected()).hasSize(1);
    }

    @Test
    void afterStopTheWebhookAnswers503() {
        channel.stop().toCompletableFuture().join();
        assertThat(post(fixture("text", 9201), TestChannels.SECRET).status()).isEqualTo(503);
        assertThat(sink.events()).isEmpty();
    }
}
