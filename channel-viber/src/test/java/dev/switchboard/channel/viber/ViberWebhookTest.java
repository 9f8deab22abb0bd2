package dev.switchboard.channel.viber;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.testkit.RecordingInboundSink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook: signature over the raw bytes, the webhook check, ack after commit, the welcome message. */
class ViberWebhookTest {
    private static final String MESSAGE = "{\"event\":\"message\",\"timestamp\":1457764197627,"
            + "\"message_token\":4912661846655238145,\"sender\":{\"id\":\"01234567890A=\",\"name\":\"John\","
            + "\"api_version\":7},\"message\":{\"type\":\"text\",\"text\":\"a message to the service\"}}";

    private final ViberFake fake = new ViberFake();
    private final ViberChannel channel = TestChannels.against(fake).build();
    private final WebhookHandler webhook = channel.webhook().orElseThrow();

    @AfterEach
    void close() {
        channel.stop();
        fake.close();
    }

    private WebhookResponse post(String body, Optional<String> signature) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = signature.map(s -> Map.of("X-Viber-Content-Signature", List.of(s)))
                .orElse(Map.of());
        return webhook.handle(WebhookRequest.post(webhook.path(), headers, bytes)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private String sign(String body) {
        return fake.sign(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCorrectlySignedCallbackIsStoredAndAcknowledged() throws Exception {
        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().get(10, TimeUnit.SECONDS);
        WebhookResponse response = post(MESSAGE, Optional.of(sign(MESSAGE)));
        assertThat(response.status()).isEqualTo(200);
        assertThat(sink.events()).singleElement().extracting(InboundEvent::eventId)
                .isEqualTo("4912661846655238145");
    }

    @Test
    void aWrongOrMissingSignatureIsRefusedWith403AndNothingIsStored() throws Exception {
        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().get(10, TimeUnit.SECONDS);
        String forged = sign(MESSAGE).substring(0, 63) + (sign(MESSAGE).endsWith("0") ? "1" : "0");
        assertThat(post(MESSAGE, Optional.of(forged)).status()).isEqualTo(403);
        assertThat(post(MESSAGE, Optional.empty()).status()).isEqualTo(403);
        assertThat(post(MESSAGE, Optional.of("not-hex")).status()).isEqualTo(403);
        // signed with another token
        assertThat(post(MESSAGE, Optional.of(new ViberSignature("another-token-0123456789").sign(
                MESSAGE.getBytes(StandardCharsets.UTF_8)))).status()).isEqualTo(403);
        assertThat(sink.events()).isEmpty();
        assertThat(sink.rejected()).as("a forged body must not even be quarantined").isEmpty();
    }

    @Test
    void theSignatureCoversTheRawBytesNotTheJson() throws Exception {
        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().get(10, TimeUnit.SECONDS);
        // the same JSON with other whitespace: a signature over re-serialised JSON would accept one of them
        String spaced = MESSAGE.replace(",\"", ", \"");
        assertThat(post(spaced, Optional.of(sign(MESSAGE))).status()).isEqualTo(403);
        assertThat(post(spaced, Optional.of(sign(spaced))).status()).isEqualTo(200);
        assertThat(sink.events()).hasSize(1);
    }

    @Test
    void theWebhookCheckIsAnsweredEvenBeforeTheChannelStarts() throws Exception {
        String check = "{\"event\":\"webhook\",\"timestamp\":1457764197627,\"message_token\":241256543215}";
        assertThat(post(check, Optional.of(sign(check))).status()).isEqualTo(200);
        assertThat(post(check, Optional.empty()).status()).isEqualTo(403);
    }

    @Test
    void registerWebhookIsCheckedByViberThroughTheHandler() throws Exception {
        fake.pushTo(webhook);
        channel.start(new RecordingInboundSink()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        channel.registerWebhook("https://example.com/webhooks/viber/viber-test").toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(fake.webhookUrl()).contains("https://example.com/webhooks/viber/viber-test");
        channel.removeWebhook().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(fake.webhookUrl()).isEmpty();
    }

    @Test
    void theAnswerWaitsForTheCommitAndIs503WhenItFails() throws Exception {
        CompletableFuture<Void> commit = new CompletableFuture<>();
        List<InboundEvent> offered = new CopyOnWriteArrayList<>();
        channel.start(new InboundSink() {
            @Override
            public CompletionStage<Void> deliver(InboundEvent event) {
                offered.add(event);
                return commit;
            }

            @Override
            public CompletionStage<Void> reject(RejectedInput input) {
                return CompletableFuture.completedFuture(null);
            }
        }).toCompletableFuture().get(10, TimeUnit.SECONDS);
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.UTF_8);
        CompletableFuture<WebhookResponse> answer = webhook.handle(WebhookRequest.post(webhook.path(),
                Map.of("X-Viber-Content-Signature", List.of(sign(MESSAGE))), bytes)).toCompletableFuture();
        assertThat(offered).hasSize(1);
        assertThat(answer).as("no answer while the inbox has not committed").isNotDone();
        commit.completeExceptionally(new IllegalStateException("database down"));
        assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(503);
    }

    @Test
    void conversationStartedIsAnsweredWithTheWelcomeMessageAfterTheCommit() throws Exception {
        ViberChannel welcoming = TestChannels.against(fake).welcome(start -> Optional.of(Content.of(
                Choices.of("Hello " + start.account().profile().displayName().orElse("") + "! How can we help?",
                        Choice.postback("Order status", "order"), Choice.sharePhone("Share my phone")))))
                .build();
        fake.pushTo(welcoming.webhook().orElseThrow());
        RecordingInboundSink sink = new RecordingInboundSink();
        welcoming.start(sink).toCompletableFuture().get(10, TimeUnit.SECONDS);

        Optional<com.fasterxml.jackson.databind.JsonNode> welcome = fake.startConversation("newUser0001==", "Ann",
                Optional.of("signed-context-token"));

        assertThat(welcome).isPresent();
        assertThat(welcome.get().path("text").asText()).isEqualTo("Hello Ann! How can we help?");
        assertThat(welcome.get().path("sender").path("name").asText()).isEqualTo("Acme Support");
        assertThat(welcome.get().path("min_api_version").asInt()).isEqualTo(3);
        assertThat(fake.welcomes()).singleElement().satisfies(w ->
                assertThat(w.buttons()).containsExactly("Order status", "Share my phone"));
        InboundEvent.AccountUpdate started = sink.events(InboundEvent.AccountUpdate.class).get(0);
        assertThat(started.kind()).as("conversation_started is not a subscription")
                .isEqualTo(InboundEvent.AccountUpdate.Kind.PROFILE_UPDATED);
        assertThat(started.evidence()).singleElement().satisfies(e -> {
            assertThat(e.point()).isEqualTo(ContactPoint.signedLink("signed-context-token"));
            assertThat(e.verified()).isFalse();
        });
        assertThat(fake.sent()).as("the welcome message does not go through send_message").isEmpty();
        welcoming.stop();
    }
}
