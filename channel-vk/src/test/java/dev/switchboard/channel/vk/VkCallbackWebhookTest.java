package dev.switchboard.channel.vk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.testkit.RecordingInboundSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Callback API endpoint: confirmation, secret, ack after commit, retries, dedupe keys. */
class VkCallbackWebhookTest {
    private final ObjectMapper json = new ObjectMapper();
    private final VkFake fake = new VkFake();
    private VkChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.stop().toCompletableFuture().join();
        }
        fake.close();
    }

    private WebhookHandler start(VkChannel c, InboundSink sink) {
        channel = c;
        c.start(sink).toCompletableFuture().join();
        return c.webhook().orElseThrow();
    }

    private static WebhookResponse post(WebhookHandler handler, String body) {
        return handler.handle(WebhookRequest.post(handler.path(), Map.of(), body.getBytes(StandardCharsets.UTF_8)))
                .toCompletableFuture().join();
    }

    private String messageNew(String secret, String eventId, String text) {
        ObjectNode event = json.createObjectNode().put("type", "message_new").put("group_id", VkFake.GROUP_ID)
                .put("event_id", eventId).put("v", "5.199").put("secret", secret);
        ObjectNode message = event.putObject("object").putObject("message");
        message.put("id", 77).put("date", 1_765_000_000L).put("peer_id", 1001).put("from_id", 1001)
                .put("text", text).put("out", 0).put("conversation_message_id", 7).put("version", 1);
        return event.toString();
    }

    @Test
    void confirmationIsAnsweredWithTheConfiguredCode() {
        WebhookHandler handler = start(TestChannels.callback(fake).build(), new RecordingInboundSink());
        fake.pushTo(handler);
        assertThat(fake.confirm()).isEqualTo(VkFake.CONFIRMATION);
        assertThat(fake.calls("groups.getCallbackConfirmationCode")).isEmpty();
        assertThat(handler.path()).isEqualTo("/webhooks/vk/vk-test");
    }

    @Test
    void confirmationWithoutSecretIsAnsweredButAWrongSecretIsNot() {
        WebhookHandler handler = start(TestChannels.callback(fake).build(), new RecordingInboundSink());
        String base = "{\"type\":\"confirmation\",\"group_id\":" + VkFake.GROUP_ID;
        assertThat(post(handler, base + "}").bodyAsUtf8()).isEqualTo(VkFake.CONFIRMATION);
        WebhookResponse wrong = post(handler, base + ",\"secret\":\"guess\"}");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.bodyAsUtf8()).doesNotContain(VkFake.CONFIRMATION);
        assertThat(post(handler, "{\"type\":\"confirmation\",\"group_id\":1}").status()).isEqualTo(403);
    }

    @Test
    void aRefusedTokenMarksTheChannelDownAtStart() {
        start(TestChannels.callback(fake).accessToken("vk1.a.revokedTokenRevokedToken0000").build(),
                new RecordingInboundSink());
        assertThat(channel.health().status()).isEqualTo(dev.switchboard.channel.ChannelHealth.Status.DOWN);
        assertThat(channel.health().problem()).contains(dev.switchboard.channel.ChannelHealth.Problem.BAD_CREDENTIALS);
    }

    @Test
    void aGoodTokenIsCheckedAtStart() {
        start(TestChannels.callback(fake).build(), new RecordingInboundSink());
        assertThat(channel.health().status()).isEqualTo(dev.switchboard.channel.ChannelHealth.Status.UP);
        assertThat(fake.calls("groups.getById")).hasSize(1);
    }

    @Test
    void confirmationCodeIsFetchedWhenNotConfigured() {
        WebhookHandler handler = start(TestChannels.longPoll(fake).callback(VkFake.SECRET, null).build(),
                new RecordingInboundSink());
        fake.pushTo(handler);
        assertThat(fake.confirm()).isEqualTo(VkFake.CONFIRMATION);
        assertThat(fake.confirm()).isEqualTo(VkFake.CONFIRMATION);
        assertThat(fake.calls("groups.getCallbackConfirmationCode")).hasSize(1);
    }

    @Test
    void aWrongOrMissingSecretIsRefusedWith403AndNothingIsStored() {
        RecordingInboundSink sink = new RecordingInboundSink();
        WebhookHandler handler = start(TestChannels.callback(fake).build(), sink);

        assertThat(post(handler, messageNew("not-the-secret", "e1", "forged")).status()).isEqualTo(403);
        String noSecret = messageNew("x", "e2", "forged").replace(",\"secret\":\"x\"", "");
        assertThat(post(handler, noSecret).status()).isEqualTo(403);
        assertThat(post(handler, "{broken json").status()).isEqualTo(403);

        assertThat(sink.events()).isEmpty();
        assertThat(sink.rejected()).as("a forged body is not even quarantined").isEmpty();
        assertThat(post(handler, messageNew(VkFake.SECRET, "e3", "real")).bodyAsUtf8()).isEqualTo("ok");
        assertThat(sink.events()).hasSize(1);
    }

    @Test
    void anEventOfAnotherCommunityIsRefused() {
        RecordingInboundSink sink = new RecordingInboundSink();
        WebhookHandler handler = start(TestChannels.callback(fake).build(), sink);
        String other = messageNew(VkFake.SECRET, "e1", "hi").replace("\"group_id\":" + VkFake.GROUP_ID,
                "\"group_id\":1");
        assertThat(post(handler, other).status()).isEqualTo(403);
        assertThat(sink.events()).isEmpty();
    }

    /** A sink whose commits the test completes by hand. */
    static final class HeldSink implements InboundSink {
        final List<CompletableFuture<Void>> commits = new CopyOnWriteArrayList<>();
        final List<InboundEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> deliver(InboundEvent event) {
            events.add(event);
            CompletableFuture<Void> commit = new CompletableFuture<>();
            commits.add(commit);
            return commit;
        }

        @Override
        public CompletionStage<Void> reject(RejectedInput input) {
            return CompletableFuture.completedFuture(null);
        }
    }

    @Test
    void okIsAnsweredOnlyAfterTheInboxCommitted() {
        HeldSink sink = new HeldSink();
        WebhookHandler handler = start(TestChannels.callback(fake).build(), sink);
        CompletableFuture<WebhookResponse> answer = handler.handle(WebhookRequest.post(handler.path(), Map.of(),
                messageNew(VkFake.SECRET, "ev-1", "hello").getBytes(StandardCharsets.UTF_8))).toCompletableFuture();

        assertThat(sink.events).hasSize(1);
        assertThat(answer).as("no answer while the commit is held").isNotDone();
        sink.commits.get(0).complete(null);
        assertThat(answer.join().status()).isEqualTo(200);
        assertThat(answer.join().bodyAsUtf8()).isEqualTo("ok");
    }

    @Test
    void aFailedCommitIsAnswered503WithRetryAfterAndTheRetryKeepsTheEventId() {
        HeldSink sink = new HeldSink();
        WebhookHandler handler = start(TestChannels.callback(fake).build(), sink);
        fake.pushTo(handler);
        String eventId = fake.deliverText("1001", "", "store me");

        await().atMost(Duration.ofSeconds(30)).until(() -> sink.commits.size() == 1);
        sink.commits.get(0).completeExceptionally(new IllegalStateException("database down"));
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.commits.size() == 2);
        sink.commits.get(1).complete(null);

        assertThat(sink.events).extracting(InboundEvent::eventId).containsExactly(eventId, eventId);
    }

    @Test
    void theFailedAnswerCarriesRetryAfter() {
        RecordingInboundSink sink = new RecordingInboundSink();
        sink.failNextDeliveries(1);
        WebhookHandler handler = start(TestChannels.callback(fake).build(), sink);
        WebhookResponse r = post(handler, messageNew(VkFake.SECRET, "e1", "hi"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers().get("Retry-After")).containsExactly("5");
        assertThat(r.bodyAsUtf8()).isNotEqualTo("ok");
    }

    @Test
    void anUnreadableEventIsQuarantinedAndAcknowledged() {
        RecordingInboundSink sink = new RecordingInboundSink();
        WebhookHandler handler = start(TestChannels.callback(fake).build(), sink);
        String noSender = "{\"type\":\"message_new\",\"group_id\":" + VkFake.GROUP_ID + ",\"event_id\":\"bad1\","
                + "\"secret\":\"" + VkFake.SECRET + "\",\"object\":{\"message\":{\"id\":1,\"text\":\"x\"}}}";
        assertThat(post(handler, noSender).bodyAsUtf8()).isEqualTo("ok");
        assertThat(sink.rejected()).hasSize(1);
        assertThat(sink.rejected().get(0).platformEventId()).contains("bad1");
        assertThat(sink.events()).isEmpty();
    }

    @Test
    void aStoppedChannelAsksVkToRetry() {
        RecordingInboundSink sink = new RecordingInboundSink();
        WebhookHandler handler = start(TestChannels.callback(fake).build(), sink);
        channel.stop().toCompletableFuture().join();
        assertThat(post(handler, messageNew(VkFake.SECRET, "e1", "hi")).status()).isEqualTo(503);
        assertThat(sink.events()).isEmpty();
    }
}
