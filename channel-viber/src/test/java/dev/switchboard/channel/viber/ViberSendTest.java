package dev.switchboard.channel.viber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendCost;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.RecordingInboundSink;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sends against the fake: the subscription rule, status codes, keyboards and their degradation, the window. */
class ViberSendTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final ViberFake fake = new ViberFake(clock);
    private final ViberChannel channel = TestChannels.against(fake).clock(clock).build();
    private final RecordingInboundSink sink = new RecordingInboundSink();

    @BeforeEach
    void start() throws Exception {
        fake.pushTo(channel.webhook().orElseThrow());
        channel.start(sink).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        channel.stop();
        fake.close();
    }

    private OutboundMessage to(String user, Bubble bubble) {
        return OutboundMessage.simple(TestChannels.ID, ChannelAccount.of(TestChannels.TENANT, TestChannels.ID, user,
                Profile.EMPTY), bubble);
    }

    private SendReceipt send(String user, Bubble bubble) throws Exception {
        return channel.send(to(user, bubble)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ChannelException failure(String user, Bubble bubble) {
        try {
            channel.send(to(user, bubble)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            return (ChannelException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the send succeeded");
    }

    private void writes(String user, String text) {
        String token = fake.deliverText(user, "Customer", text);
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.eventsWithId(token).isEmpty());
    }

    @Test
    void everyMessageCarriesTheSenderNameAndTheReceiptIsTheMessageToken() throws Exception {
        SendReceipt receipt = send(ViberFake.KNOWN_RECIPIENT, Bubble.TextBubble.plain("Your order has shipped"));
        ViberFake.Delivered d = fake.delivered().get(0);
        assertThat(d.senderName()).isEqualTo("Acme Support");
        assertThat(receipt.platformMessageId()).isEqualTo(d.token());
        assertThat(d.trackingData()).as("tracking_data carries the outbox part's key").isPresent();
    }

    @Test
    void anUnsubscribedCustomerFailsFastWithoutCallingViber() throws Exception {
        writes("u-unsub==", "hello");
        String token = fake.unsubscribe("u-unsub==");
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.eventsWithId(token).isEmpty());
        int calls = fake.calls();
        ChannelException e = failure("u-unsub==", Bubble.TextBubble.plain("Still there?"));
        assertThat(e.retryable()).isFalse();
        assertThat(e.failure().kind()).isEqualTo(FailureKind.RECIPIENT_UNREACHABLE);
        assertThat(fake.calls()).as("no call to Viber").isEqualTo(calls);
        writes("u-unsub==", "I am back");
        send("u-unsub==", Bubble.TextBubble.plain("Welcome back"));
    }

    @Test
    void statusFiveAndSixArePermanentAndRecordedForTheCustomer() throws Exception {
        fake.failNextSends(6, 1);
        assertThat(failure(ViberFake.KNOWN_RECIPIENT, Bubble.TextBubble.plain("a")).retryable()).isFalse();
        int calls = fake.calls();
        assertThat(failure(ViberFake.KNOWN_RECIPIENT, Bubble.TextBubble.plain("b")).retryable()).isFalse();
        assertThat(fake.calls()).as("recorded: the second send does not call Viber").isEqualTo(calls);
        assertThat(failure("nobody==", Bubble.TextBubble.plain("c")).failure().platformCode()).contains("5");
    }

    @Test
    void tooManyRequestsAndServerErrorsAreRetryable() {
        fake.failNextSends(12, 1);
        ChannelException e = failure(ViberFake.KNOWN_RECIPIENT, Bubble.TextBubble.plain("a"));
        assertThat(e.retryable()).isTrue();
        assertThat(e.failure().kind()).isEqualTo(FailureKind.RATE_LIMITED);
        fake.failNextSendWithServerError();
        assertThat(failure(ViberFake.KNOWN_RECIPIENT, Bubble.TextBubble.plain("b")).retryable()).isTrue();
    }

    @Test
    void accountProblemsAreSurfacedAsChannelHealthWithoutTheToken() {
        fake.failNextSends(10, 1);
        ChannelException e = failure(ViberFake.KNOWN_RECIPIENT, Bubble.TextBubble.plain("a"));
        assertThat(e.retryable()).isFalse();
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(channel.health().problem()).contains(ChannelHealth.Problem.WEBHOOK_NOT_SET);
        ViberChannel wrongToken = TestChannels.against(fake).authToken("wrong-token-0123456789abcdef").build();
        ChannelException bad = (ChannelException) wrongToken.send(to(ViberFake.KNOWN_RECIPIENT,
                Bubble.TextBubble.plain("x"))).toCompletableFuture().handle((r, t) -> t.getCause() != null
                ? t.getCause() : t).join();
        assertThat(bad.failure().kind()).isEqualTo(FailureKind.UNAUTHORIZED);
        assertThat(bad.getMessage()).doesNotContain("wrong-token-0123456789abcdef");
        assertThat(wrongToken.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
    }

    @Test
    void aKeyboardSetsMinApiVersionAndAButtonPressComesBackAsThePostback() throws Exception {
        writes("u-kb==", "hi");
        send("u-kb==", new Bubble.TextBubble("Was it answered?", "Was it answered?", dev.switchboard.channel.Markup
                .PLAIN, List.of(Choice.postback("Yes", "kit:yes"), Choice.postback("No", "kit:no"),
                Choice.link("Site", URI.create("https://example.com")))));
        ViberFake.Delivered d = fake.delivered().get(0);
        assertThat(d.buttons()).containsExactly("Yes", "No", "Site");
        assertThat(d.minApiVersion()).isEqualTo(1);
        String token = fake.deliverText("u-kb==", "Customer", "No");
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.eventsWithId(token).isEmpty());
        assertThat(sink.eventsWithId(token).get(0)).isInstanceOfSatisfying(InboundEvent.Postback.class,
                p -> assertThat(p.payload()).isEqualTo("kit:no"));
    }

    @Test
    void anOldClientGetsTheChoicesAsANumberedListAndANumberMapsBack() throws Exception {
        fake.addUser("u-old==", "Old Phone", 2);
        writes("u-old==", "hi");
        send("u-old==", new Bubble.TextBubble("Share your phone?", "Share your phone?",
                dev.switchboard.channel.Markup.PLAIN, List.of(Choice.sharePhone("Share phone"),
                Choice.postback("Call me", "call"))));
        ViberFake.Delivered d = fake.delivered().get(0);
        assertThat(d.buttons()).as("api_version 2 cannot show share-phone (3)").isEmpty();
        assertThat(d.text()).contains("Share your phone?", "1. Call me", "Share phone: ");
        String token = fake.deliverText("u-old==", "Old Phone", "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.eventsWithId(token).isEmpty());
        assertThat(sink.eventsWithId(token).get(0)).isInstanceOfSatisfying(InboundEvent.Postback.class,
                p -> assertThat(p.payload()).isEqualTo("call"));
    }

    @Test
    void anApiVersionRefusalIsRetriedInTheDegradedForm() throws Exception {
        writes("u-v==", "hi");
        Bubble keyboard = new Bubble.TextBubble("Phone?", "Phone?", dev.switchboard.channel.Markup.PLAIN,
                List.of(Choice.sharePhone("Share phone")));
        fake.failNextSends(13, 1);
        assertThat(failure("u-v==", keyboard).retryable()).isTrue();
        send("u-v==", keyboard);
        assertThat(fake.delivered().get(0).buttons()).isEmpty();
    }

    @Test
    void sendCostIsASessionMessageForTwentyFourHoursAfterTheCustomerWrote() {
        ChannelAccount customer = ChannelAccount.of(TestChannels.TENANT, TestChannels.ID, "u-w==", Profile.EMPTY);
        assertThat(channel.sendCost(customer)).isEqualTo(SendCost.PAID);
        assertThat(channel.capabilities().messagingWindow()).contains(Duration.ofHours(24));
        writes("u-w==", "hi");
        assertThat(channel.sendCost(customer)).isEqualTo(SendCost.SESSION);
        clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertThat(channel.sendCost(customer)).isEqualTo(SendCost.SESSION);
        clock.advance(Duration.ofMinutes(1));
        assertThat(channel.sendCost(customer)).isEqualTo(SendCost.PAID);
        ViberChannel legacy = TestChannels.against(fake).commercial(false).build();
        assertThat(legacy.sendCost(customer)).isEqualTo(SendCost.FREE);
        assertThat(legacy.capabilities().messagingWindow()).isEmpty();
    }

    @Test
    void aBodyOverThirtyKilobytesIsRefusedWithoutCallingViber() {
        int calls = fake.calls();
        // within every per-field limit (7,000 characters, 24 buttons of 250), but 3 bytes per character in JSON
        String label = "漢".repeat(240);
        List<Choice> many = java.util.stream.IntStream.range(0, 24)
                .mapToObj(i -> Choice.postback(label + i, "p" + i)).toList();
        ChannelException e = failure(ViberFake.KNOWN_RECIPIENT, new Bubble.TextBubble("漢".repeat(6999),
                "x", dev.switchboard.channel.Markup.PLAIN, many));
        assertThat(e.getMessage()).contains("30 KB");
        assertThat(fake.calls()).isEqualTo(calls);
    }

    @Test
    void picturesFilesAndALongCaption() throws Exception {
        Media picture = new Media(MediaKind.IMAGE, "image/jpeg", Optional.empty(), OptionalLong.empty(),
                new MediaSource.Url(URI.create("https://example.com/p.jpg")), Optional.empty());
        send(ViberFake.KNOWN_RECIPIENT, new Bubble.MediaBubble(picture, Optional.of("c".repeat(200)),
                dev.switchboard.channel.Markup.PLAIN));
        assertThat(fake.delivered()).extracting(ViberFake.Delivered::type).containsExactly("picture", "text");
        Media file = new Media(MediaKind.FILE, "application/pdf", Optional.of("invoice.pdf"), OptionalLong.of(1234),
                new MediaSource.Url(URI.create("https://example.com/i.pdf")), Optional.empty());
        send(ViberFake.KNOWN_RECIPIENT, new Bubble.MediaBubble(file, Optional.empty(),
                dev.switchboard.channel.Markup.PLAIN));
        assertThat(fake.delivered().get(2).type()).isEqualTo("file");
        Media inline = new Media(MediaKind.IMAGE, "image/png", Optional.empty(), OptionalLong.empty(),
                new MediaSource.Inline(new byte[] {1}), Optional.empty());
        assertThatThrownBy(() -> send(ViberFake.KNOWN_RECIPIENT, new Bubble.MediaBubble(inline, Optional.empty(),
                dev.switchboard.channel.Markup.PLAIN))).hasMessageContaining("URL only");
    }

    @Test
    void theHundredUnansweredMessagesPerHourRule() throws Exception {
        writes("u-h==", "hi");
        for (int i = 0; i < ViberFake.UNANSWERED_PER_HOUR; i++) {
            send("u-h==", Bubble.TextBubble.plain("m" + i));
        }
        ChannelException e = failure("u-h==", Bubble.TextBubble.plain("one too many"));
        assertThat(e.failure().kind()).isEqualTo(FailureKind.RATE_LIMITED);
        writes("u-h==", "a reply resets the count");
        send("u-h==", Bubble.TextBubble.plain("after the reply"));
        clock.advance(Duration.ofMinutes(1));
    }
}
