package dev.switchboard.channel.vk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import dev.switchboard.testkit.KitTexts;
import dev.switchboard.testkit.RecordingInboundSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sending: exactly-once by random_id, keyboards per client, uploads, replies, errors by code, secrets. */
class VkSendTest {
    private static final String USER = VkFake.KNOWN_RECIPIENT;
    private final ObjectMapper json = new ObjectMapper();
    private final VkFake fake = new VkFake();
    private final RecordingInboundSink sink = new RecordingInboundSink();
    private VkChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.stop().toCompletableFuture().join();
        }
        fake.close();
    }

    private VkChannel start(VkChannel.Builder builder) {
        channel = builder.build();
        fake.bind(channel);
        channel.start(sink).toCompletableFuture().join();
        return channel;
    }

    private VkChannel start() {
        return start(TestChannels.callback(fake));
    }

    private OutboundMessage message(Bubble bubble, String key) {
        return new OutboundMessage(channel.id(), ChannelAccount.of(channel.tenant(), channel.id(), USER,
                Profile.EMPTY), MessageId.of("m-" + key), 0, bubble, key, Optional.empty(), ThreadHints.NONE,
                Optional.empty(), false);
    }

    private SendReceipt send(OutboundMessage m) {
        return channel.send(m).toCompletableFuture().join();
    }

    private ChannelException failure(OutboundMessage m) {
        Throwable t = catchThrowable(() -> channel.send(m).toCompletableFuture().join());
        assertThat(t).isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(ChannelException.class);
        return (ChannelException) t.getCause();
    }

    // ---------------------------------------------------------------- exactly once

    @Test
    void randomIdIsAStableFunctionOfTheIdempotencyKeySpreadOverInt32() {
        assertThat(RandomIds.of(229000001L, "m-1:0")).isEqualTo(RandomIds.of(229000001L, "m-1:0"));
        assertThat(RandomIds.of(229000001L, "m-1:0")).isNotEqualTo(RandomIds.of(229000001L, "m-1:1"));
        assertThat(RandomIds.of(229000001L, "m-1:0")).isNotEqualTo(RandomIds.of(229000002L, "m-1:0"));
        // pinned (SHA-256 of "229000001:m-1:0", first 31 bits): every JVM, node and release derives this value, so
        // changing the derivation would make VK show retried rows of older releases twice
        assertThat(RandomIds.of(229000001L, "m-1:0")).isEqualTo(45236489);
        long distinct = IntStream.range(0, 10_000).map(i -> RandomIds.of(1, "key-" + i)).distinct().count();
        assertThat(distinct).isGreaterThan(9_990);
        long high = IntStream.range(0, 10_000).map(i -> RandomIds.of(1, "key-" + i))
                .filter(v -> v > Integer.MAX_VALUE / 2).count();
        assertThat(high).isBetween(4_500L, 5_500L);
        assertThat(IntStream.range(0, 10_000).map(i -> RandomIds.of(1, "key-" + i)).min().getAsInt()).isPositive();
    }

    @Test
    void aRetryAfterVkAcceptedButTheAnswerWasLostShowsTheCustomerOneMessage() {
        start();
        OutboundMessage m = message(Bubble.TextBubble.plain("Your order shipped"), "row-17:0");
        fake.dropNextSendAfterAccept();
        SendReceipt receipt;
        try {
            receipt = send(m);
        } catch (CompletionException e) {
            // the lost answer: retryable, and the outbox sends the same row again
            assertThat(((ChannelException) e.getCause()).retryable()).isTrue();
            receipt = send(m);
        }
        List<VkFake.ApiCall> sends = fake.calls("messages.send");
        assertThat(sends).hasSizeGreaterThanOrEqualTo(2);
        assertThat(sends).extracting(c -> c.params().get("random_id")).containsOnly(
                Integer.toString(RandomIds.of(VkFake.GROUP_ID, "row-17:0")));
        assertThat(fake.messagesTo(USER)).hasSize(1);
        assertThat(receipt.platformMessageId()).isEqualTo(Long.toString(fake.messagesTo(USER).get(0).messageId()));
    }

    @Test
    void aTimeoutAfterVkAcceptedIsRetryableAndTheRetryIsShownOnce() {
        start(TestChannels.callback(fake).httpClient(new okhttp3.OkHttpClient.Builder()
                .readTimeout(Duration.ofMillis(300)).retryOnConnectionFailure(false).build()));
        OutboundMessage m = message(Bubble.TextBubble.plain("Your refund was approved"), "row-19:0");
        fake.holdNextSendAfterAccept();
        ChannelException timeout = failure(m);
        assertThat(timeout.retryable()).isTrue();
        assertThat(timeout.failure().kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(fake.messagesTo(USER)).as("VK accepted the message before the timeout").hasSize(1);

        SendReceipt receipt = send(m);
        assertThat(fake.messagesTo(USER)).hasSize(1);
        assertThat(receipt.platformMessageId()).isEqualTo(Long.toString(fake.messagesTo(USER).get(0).messageId()));
    }

    @Test
    void aSecondChannelInstanceSendingTheSameRowIsDeduplicated() {
        start();
        send(message(Bubble.TextBubble.plain("once"), "row-18:0"));
        VkChannel otherNode = TestChannels.callback(fake).build();
        SendReceipt again = otherNode.send(message(Bubble.TextBubble.plain("once"), "row-18:0"))
                .toCompletableFuture().join();
        assertThat(fake.messagesTo(USER)).hasSize(1);
        assertThat(again.platformMessageId()).isEqualTo(Long.toString(fake.messagesTo(USER).get(0).messageId()));
    }

    // ---------------------------------------------------------------- text and keyboards

    @Test
    void longTextIsSplitAtVksLimitByTheRenderer() {
        start();
        String text = KitTexts.longText(20_000, channel.capabilities().textLengthUnit());
        RenderedMessage rendered = Renderer.standard().render(Content.text(text), channel.capabilities());
        assertThat(rendered.bubbles()).hasSize(3);
        for (int i = 0; i < rendered.bubbles().size(); i++) {
            send(message(rendered.bubbles().get(i), "long:" + i));
        }
        assertThat(fake.messagesTo(USER)).hasSize(3).allSatisfy(d -> assertThat(d.text().length())
                .isLessThanOrEqualTo(9000));
    }

    private JsonNode keyboardOf(VkFake.Delivered d) throws Exception {
        return json.readTree(d.keyboard().orElseThrow());
    }

    private Bubble choices(int n) {
        List<Choice> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(Choice.postback("Option " + i, "opt:" + i));
        }
        RenderedMessage r = Renderer.standard().render(Content.of(Choices.of("Pick one", list.toArray(Choice[]::new))),
                channel.capabilities());
        assertThat(r.bubbles()).hasSize(1);
        return r.bubbles().get(0);
    }

    @Test
    void choicesBecomeAnInlineKeyboardWithCallbackButtonsForModernClients() throws Exception {
        start();
        send(message(choices(3), "kb:0"));
        JsonNode keyboard = keyboardOf(fake.messagesTo(USER).get(0));
        assertThat(keyboard.path("inline").asBoolean()).isTrue();
        JsonNode first = keyboard.path("buttons").path(0).path(0);
        assertThat(first.path("action").path("type").asText()).isEqualTo("callback");
        assertThat(first.path("action").path("payload").asText()).isEqualTo("{\"sb\":\"opt:1\"}");
        assertThat(first.path("color").asText()).isEqualTo("primary");
    }

    @Test
    void elevenChoicesDegradeToANumberedListNeverA911() {
        start();
        RenderedMessage r = Renderer.standard().render(Content.of(Choices.of("Pick one", IntStream.rangeClosed(1, 11)
                .mapToObj(i -> Choice.postback("Option " + i, "opt:" + i)).toArray(Choice[]::new))),
                channel.capabilities());
        for (int i = 0; i < r.bubbles().size(); i++) {
            send(message(r.bubbles().get(i), "eleven:" + i));
        }
        assertThat(fake.messagesTo(USER)).allSatisfy(d -> assertThat(d.keyboard()).isEmpty());
        assertThat(fake.messagesTo(USER).get(0).text()).contains("1. Option 1", "11. Option 11");
        assertThat(r.choiceMap().resolve("11")).contains("opt:11");
    }

    @Test
    void aClientWithoutInlineKeyboardsGetsAStandardOneAndAClientWithoutKeyboardsANumberedList() throws Exception {
        start();
        var standardOnly = fake.modernClient().put("inline_keyboard", false);
        fake.deliverMessage((com.fasterxml.jackson.databind.node.ObjectNode) fake.message("1001").put("text", "hi"),
                standardOnly);
        var noKeyboard = fake.modernClient().put("inline_keyboard", false).put("keyboard", false);
        fake.deliverMessage((com.fasterxml.jackson.databind.node.ObjectNode) fake.message("1002").put("text", "hi"),
                noKeyboard);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.events().size() == 2);

        Bubble bubble = choices(3);
        channel.send(new OutboundMessage(channel.id(), ChannelAccount.of(channel.tenant(), channel.id(), "1001",
                Profile.EMPTY), MessageId.of("s1"), 0, bubble, "s1:0", Optional.empty(), ThreadHints.NONE,
                Optional.empty(), false)).toCompletableFuture().join();
        channel.send(new OutboundMessage(channel.id(), ChannelAccount.of(channel.tenant(), channel.id(), "1002",
                Profile.EMPTY), MessageId.of("s2"), 0, bubble, "s2:0", Optional.empty(), ThreadHints.NONE,
                Optional.empty(), false)).toCompletableFuture().join();

        JsonNode standard = keyboardOf(fake.messagesTo("1001").get(0));
        assertThat(standard.path("inline").asBoolean(false)).isFalse();
        assertThat(standard.path("one_time").asBoolean()).isTrue();
        assertThat(standard.path("buttons").path(0).path(0).path("action").path("type").asText()).isEqualTo("text");
        VkFake.Delivered plain = fake.messagesTo("1002").get(0);
        assertThat(plain.keyboard()).isEmpty();
        assertThat(plain.text()).contains("Pick one", "1. Option 1", "3. Option 3");
    }

    @Test
    void anInlineClientWithoutCallbackButtonsGetsInlineTextButtons() throws Exception {
        start();
        var noCallback = fake.modernClient();
        ((com.fasterxml.jackson.databind.node.ArrayNode) noCallback.get("button_actions")).removeAll().add("text");
        fake.deliverMessage(fake.message("1003").put("text", "hi"), noCallback);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.events().size() == 1);
        channel.send(new OutboundMessage(channel.id(), ChannelAccount.of(channel.tenant(), channel.id(), "1003",
                Profile.EMPTY), MessageId.of("s3"), 0, choices(2), "s3:0", Optional.empty(), ThreadHints.NONE,
                Optional.empty(), false)).toCompletableFuture().join();
        JsonNode keyboard = keyboardOf(fake.messagesTo("1003").get(0));
        assertThat(keyboard.path("inline").asBoolean()).isTrue();
        assertThat(keyboard.path("buttons").path(0).path(0).path("action").path("type").asText()).isEqualTo("text");
    }

    @Test
    void aPayloadOverVksLimitFailsTheSendAsInvalidInsteadOfA911() {
        start();
        Bubble bubble = new Bubble.TextBubble("Pick", "Pick", dev.switchboard.channel.Markup.PLAIN,
                List.of(Choice.postback("Long", "x".repeat(300))));
        ChannelException e = failure(message(bubble, "payload:0"));
        assertThat(e.failure().kind()).isEqualTo(FailureKind.INVALID_REQUEST);
        assertThat(e.failure().description()).contains("255");
        assertThat(fake.calls("messages.send")).isEmpty();
    }

    @Test
    void linkButtonsOpenTheLink() throws Exception {
        start();
        Bubble bubble = Renderer.standard().render(Content.of(Choices.of("Track it",
                Choice.link("Tracking", java.net.URI.create("https://example.com/t/42")))), channel.capabilities())
                .bubbles().get(0);
        send(message(bubble, "link:0"));
        JsonNode action = keyboardOf(fake.messagesTo(USER).get(0)).path("buttons").path(0).path(0).path("action");
        assertThat(action.path("type").asText()).isEqualTo("open_link");
        assertThat(action.path("link").asText()).isEqualTo("https://example.com/t/42");
    }

    @Test
    void aReplyCarriesReplyTo() {
        start();
        OutboundMessage m = new OutboundMessage(channel.id(), ChannelAccount.of(channel.tenant(), channel.id(), USER,
                Profile.EMPTY), MessageId.of("r"), 0, Bubble.TextBubble.plain("answering"), "r:0",
                Optional.of("901"), ThreadHints.NONE, Optional.empty(), false);
        send(m);
        assertThat(fake.messagesTo(USER).get(0).replyTo()).contains(901L);
    }

    // ---------------------------------------------------------------- uploads

    @Test
    void aPhotoGoesThroughTheUploadFlow() {
        start();
        byte[] bytes = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};
        Media photo = Media.of(MediaKind.IMAGE, "image/jpeg", new MediaSource.Inline(bytes))
                .withCaption(dev.switchboard.content.Text.plain("The receipt"));
        Bubble bubble = Renderer.standard().render(Content.of(photo), channel.capabilities()).bubbles().get(0);
        send(message(bubble, "photo:0"));
        VkFake.Delivered d = fake.messagesTo(USER).get(0);
        assertThat(d.attachments()).hasSize(1);
        assertThat(d.attachments().get(0)).startsWith("photo-" + VkFake.GROUP_ID + "_");
        assertThat(d.text()).isEqualTo("The receipt");
        assertThat(fake.savedFiles().get(d.attachments().get(0)).bytes()).isEqualTo(bytes);
        assertThat(fake.calls()).extracting(VkFake.ApiCall::method).containsSubsequence(
                "photos.getMessagesUploadServer", "photos.saveMessagesPhoto", "messages.send");
    }

    @Test
    void aDocumentGoesThroughTheUploadFlow() {
        start();
        byte[] bytes = "%PDF-1.7 invoice".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Media doc = Media.of(MediaKind.FILE, "application/pdf", new MediaSource.Inline(bytes))
                .withFileName("invoice.pdf");
        send(message(new Bubble.MediaBubble(doc, Optional.empty(), dev.switchboard.channel.Markup.PLAIN), "doc:0"));
        VkFake.Delivered d = fake.messagesTo(USER).get(0);
        assertThat(d.attachments().get(0)).startsWith("doc-" + VkFake.GROUP_ID + "_");
        assertThat(fake.savedFiles().get(d.attachments().get(0)).fileName()).isEqualTo("invoice.pdf");
        assertThat(fake.calls("docs.save").get(0).params()).containsEntry("title", "invoice.pdf");
    }

    @Test
    void aReceivedPhotoCanBeFetchedAndSentAgainByItsAttachment() {
        start();
        byte[] bytes = {9, 8, 7};
        var message = fake.message(USER);
        message.putArray("attachments").add(fake.photoAttachment(bytes));
        fake.deliverMessage(message, fake.modernClient());
        await().atMost(Duration.ofSeconds(30)).until(() -> !sink.events().isEmpty());
        Media received = (Media) ((InboundEvent.MessageReceived) sink.events().get(0)).content().parts().get(0);
        MediaSource.PlatformFile file = (MediaSource.PlatformFile) received.source();
        assertThat(channel.fetchMedia(file).toCompletableFuture().join().bytes()).isEqualTo(bytes);

        send(message(new Bubble.MediaBubble(received, Optional.empty(), dev.switchboard.channel.Markup.PLAIN),
                "again:0"));
        assertThat(fake.messagesTo(USER).get(0).attachments().get(0)).startsWith("photo" + USER + "_");
        assertThat(fake.calls("photos.getMessagesUploadServer")).isEmpty();
    }

    @Test
    void anotherChannelsFileIsRefused() {
        start();
        MediaSource.PlatformFile foreign = new MediaSource.PlatformFile(dev.switchboard.model.ChannelId.of("other"),
                "photo1_2#http://127.0.0.1/x");
        assertThat(catchThrowable(() -> channel.fetchMedia(foreign).toCompletableFuture().join()))
                .hasCauseInstanceOf(ChannelException.class);
        ChannelException e = failure(message(new Bubble.MediaBubble(Media.of(MediaKind.IMAGE, "image/jpeg", foreign),
                Optional.empty(), dev.switchboard.channel.Markup.PLAIN), "foreign:0"));
        assertThat(e.failure().kind()).isEqualTo(FailureKind.INVALID_REQUEST);
    }

    // ---------------------------------------------------------------- errors

    @Test
    void rateLimitsAndOutagesAreRetryable() {
        start();
        for (int code : new int[] {6, 9, 29, 10}) {
            fake.failNextSends(code, 1);
            ChannelException e = failure(message(Bubble.TextBubble.plain("x"), "err" + code + ":0"));
            assertThat(e.retryable()).as("error %d", code).isTrue();
            assertThat(e.failure().platformCode()).contains(Integer.toString(code));
            assertThat(e.failure().retryAfter()).as("error %d", code).isPresent();
            assertThat(e.failure().kind()).isEqualTo(code == 10 ? FailureKind.UNAVAILABLE : FailureKind.RATE_LIMITED);
        }
        assertThat(fake.messagesTo(USER)).isEmpty();
        assertThat(channel.health().problem()).contains(ChannelHealth.Problem.RATE_LIMITED);
        send(message(Bubble.TextBubble.plain("recovered"), "after:0"));
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void aRefusedTokenIsPermanentAndTakesTheChannelDown() {
        start(TestChannels.callback(fake).accessToken("vk1.a.revokedTokenRevokedToken0000"));
        ChannelException e = failure(message(Bubble.TextBubble.plain("x"), "auth:0"));
        assertThat(e.failure().kind()).isEqualTo(FailureKind.UNAUTHORIZED);
        assertThat(e.retryable()).isFalse();
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(channel.health().problem()).contains(ChannelHealth.Problem.BAD_CREDENTIALS);
        assertThat(e.getMessage()).doesNotContain("revokedToken");
    }

    @Test
    void noPermissionIsPermanentForThatCustomerAndLaterSendsFailWithoutCallingVk() {
        start();
        fake.failNextSends(901, 1);
        ChannelException e = failure(message(Bubble.TextBubble.plain("x"), "deny:0"));
        assertThat(e.failure().kind()).isEqualTo(FailureKind.RECIPIENT_UNREACHABLE);
        int calls = fake.calls("messages.send").size();
        ChannelException again = failure(message(Bubble.TextBubble.plain("y"), "deny:1"));
        assertThat(again.failure().kind()).isEqualTo(FailureKind.RECIPIENT_UNREACHABLE);
        assertThat(fake.calls("messages.send")).hasSize(calls);

        fake.allow(USER);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.events(InboundEvent.AccountUpdate.class).size() == 1);
        send(message(Bubble.TextBubble.plain("welcome back"), "deny:2"));
        assertThat(fake.messagesTo(USER)).extracting(VkFake.Delivered::text).containsExactly("welcome back");
    }

    @Test
    void privacySettingsAreRecordedLikeNoPermission() {
        start();
        fake.failNextSends(902, 1);
        assertThat(failure(message(Bubble.TextBubble.plain("x"), "privacy:0")).failure().kind())
                .isEqualTo(FailureKind.RECIPIENT_UNREACHABLE);
        int calls = fake.calls("messages.send").size();
        assertThat(failure(message(Bubble.TextBubble.plain("y"), "privacy:1")).failure().platformCode())
                .contains("901");
        assertThat(fake.calls("messages.send")).hasSize(calls);
    }

    @Test
    void messageDenyIsHonouredBySends() {
        start();
        fake.deny(USER);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.events(InboundEvent.AccountUpdate.class).size() == 1);
        assertThat(sink.events(InboundEvent.AccountUpdate.class).get(0).kind())
                .isEqualTo(InboundEvent.AccountUpdate.Kind.UNSUBSCRIBED);
        ChannelException e = failure(message(Bubble.TextBubble.plain("x"), "denied:0"));
        assertThat(e.failure().kind()).isEqualTo(FailureKind.RECIPIENT_UNREACHABLE);
        assertThat(fake.calls("messages.send")).isEmpty();
    }

    @Test
    void aCaptchaIsPermanentWithAClearReason() {
        start();
        fake.failNextSends(14, 1);
        ChannelException e = failure(message(Bubble.TextBubble.plain("x"), "captcha:0"));
        assertThat(e.retryable()).isFalse();
        assertThat(e.failure().description()).contains("captcha");
    }

    @Test
    void theFakeEnforcesTheTokensRateLimitWithError6() {
        start();
        fake.requestsPerSecond(5);
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            try {
                send(message(Bubble.TextBubble.plain("burst " + i), "burst:" + i));
            } catch (CompletionException e) {
                failures.add(e.getCause());
            }
        }
        assertThat(fake.rateLimitErrors()).isPositive();
        assertThat(failures).isNotEmpty().allSatisfy(t -> assertThat(((ChannelException) t).failure().kind())
                .isEqualTo(FailureKind.RATE_LIMITED));
        // 20 calls per 1.02 s: VK's 20/s less the margin for jitter between our socket and VK's count
        assertThat(channel.capabilities().globalRateLimit().orElseThrow().ratePerSecond())
                .isCloseTo(20 / 1.02, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theFakeAnswersFloodControlForRepeatedTexts() {
        start();
        fake.floodControlAfter(2);
        send(message(Bubble.TextBubble.plain("same"), "flood:0"));
        send(message(Bubble.TextBubble.plain("same"), "flood:1"));
        ChannelException e = failure(message(Bubble.TextBubble.plain("same"), "flood:2"));
        assertThat(e.failure().platformCode()).contains("9");
        assertThat(e.retryable()).isTrue();
    }

    // ---------------------------------------------------------------- postbacks and secrets

    @Test
    void aCallbackButtonPressIsAcknowledgedWithSendMessageEventAnswer() {
        start();
        fake.pressCallbackButton(USER, json.createObjectNode().put("sb", "opt:1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !sink.events(InboundEvent.Postback.class).isEmpty());
        InboundEvent.Postback p = sink.events(InboundEvent.Postback.class).get(0);
        assertThat(p.payload()).isEqualTo("opt:1");
        channel.acknowledgePostback(p, Optional.of("Done")).toCompletableFuture().join();
        VkFake.ApiCall answer = fake.calls("messages.sendMessageEventAnswer").get(0);
        assertThat(answer.params()).containsEntry("user_id", USER).containsEntry("peer_id", USER)
                .containsKey("event_id");
        assertThat(answer.params().get("event_data")).contains("show_snackbar", "Done");
    }

    @Test
    void theTokenAppearsInNoToStringExceptionOrLog() {
        start();
        fake.failNextSends(5, 1);
        ChannelException e = failure(message(Bubble.TextBubble.plain("x"), "tok:0"));
        for (String shown : List.of(channel.toString(), channel.config().toString(), e.toString(),
                String.valueOf(e.failure()), channel.webhook().orElseThrow().toString(), channel.health().toString())) {
            assertThat(shown).doesNotContain(VkFake.TOKEN).doesNotContain(VkFake.SECRET);
        }
        assertThat(fake.calls("messages.send").get(0).params()).doesNotContainKey("access_token");
    }
}
