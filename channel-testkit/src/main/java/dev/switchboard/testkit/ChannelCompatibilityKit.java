package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelId;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit: the behaviour every {@link Channel} must show, as JUnit 5 tests a channel module inherits.
 * A channel test extends this class and says how to start a {@link PlatformFake} and how to build the channel against
 * it; the kit then checks receiving (one event per platform message, the right account, stable event ids across
 * redelivery), sending (receipts, long text split by the standard {@link Renderer}, buttons or their numbered-list
 * fallback, receipt ids unique per channel), failure classification (429 with retry-after, 5xx, permanent errors),
 * secret hygiene, configuration (an invalid option fails at {@code build()} with an {@link IllegalArgumentException}
 * naming it) and lifecycle (a second start refused, stop idempotent, start again after stop receives and sends,
 * another channel's file refused).
 *
 * <p>Each test gets a fresh fake and channel; the channel is started with a {@link RecordingInboundSink} that commits
 * immediately. Waits use Awaitility deadlines of {@link #timeout()}, never sleeps. Failure messages name what the
 * channel did and what it should have done. Platforms without an ability list it in {@link #unsupported()}.
 */
public abstract class ChannelCompatibilityKit {

    private PlatformFake fake;
    private Channel channel;
    private RecordingInboundSink sink;

    /** A started fake of the platform, fresh for each test. */
    protected abstract PlatformFake createFake() throws Exception;

    /** The channel under test, configured against {@code fake} (its URLs, ports, credentials), not yet started. */
    protected abstract Channel createChannel(PlatformFake fake) throws Exception;

    /** Abilities the platform lacks; the kit skips or relaxes the tests that need them. */
    protected Set<KitFeature> unsupported() {
        return Set.of();
    }

    /** Every secret the channel's configuration holds (tokens, passwords, HMAC keys): none may appear in toString(). */
    protected abstract Set<String> secrets();

    /** Objects whose {@code toString()} must not show a secret: the channel, and add its configuration. */
    protected List<Object> objectsThatMustNotLeakSecrets(Channel channel) {
        return List.of(channel);
    }

    /**
     * Invalid configurations to check, by the option they get wrong: for each entry, the builder option's name (as
     * the builder's setter calls it) and an action that builds the channel with a bad value of that option against
     * {@code fake}. The kit checks that each fails at {@code build()} with an {@link IllegalArgumentException} whose
     * message names the option and shows none of {@link #secrets()}. Empty by default, which skips the rule; every
     * shipped channel declares a few.
     */
    protected Map<String, Callable<? extends Channel>> invalidConfigurations(PlatformFake fake) {
        return Map.of();
    }

    /** How long the kit waits for anything asynchronous (an inbound event, a send) before failing. */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /** The platform user id the kit's inbound messages come from. Override with an address for email-like channels. */
    protected String customerId() {
        return "100200300";
    }

    /** The display name the kit's inbound messages carry. */
    protected String customerName() {
        return "Kit Customer";
    }

    /**
     * True when the fake, like its platform, delivers an event again after the channel failed to acknowledge it (a
     * poll offset that did not advance, a webhook answered 5xx, an IMAP message left unprocessed). Enables the kit's
     * ack-after-commit test; off by default because a fake has to model the platform's retry to support it.
     */
    protected boolean platformRetriesUnacknowledgedEvents() {
        return false;
    }

    /** The renderer the send tests use to fit content to the channel; the standard one unless a channel has reason. */
    protected Renderer renderer() {
        return Renderer.standard();
    }

    /** The fake of the current test. */
    protected final PlatformFake fake() {
        return fake;
    }

    /** The started channel of the current test. */
    protected final Channel channel() {
        return channel;
    }

    /** The sink the channel of the current test delivers into. */
    protected final RecordingInboundSink sink() {
        return sink;
    }

    @BeforeEach
    final void startFakeAndChannel() throws Exception {
        fake = createFake();
        assertThat(fake).as("createFake() returned null").isNotNull();
        channel = createChannel(fake);
        assertThat(channel).as("createChannel(fake) returned null").isNotNull();
        fake.bind(channel);
        sink = new RecordingInboundSink();
        await("channel.start(sink)", channel.start(sink));
    }

    @AfterEach
    final void stopChannelAndFake() throws Exception {
        try {
            if (channel != null) {
                await("channel.stop() after the test", channel.stop());
            }
        } finally {
            if (fake != null) {
                fake.close();
            }
        }
    }

    // ---------------------------------------------------------------- receiving

    @Test
    @DisplayName("inbound text arrives as exactly one MessageReceived with the sender's account")
    void inboundTextArrivesAsOneEventWithTheSendersAccount() {
        String text = "Hello from the compatibility kit";
        String eventId = fake.deliverText(customerId(), customerName(), text);

        InboundEvent event = awaitEvent(eventId, "the platform delivered a text message (event id " + eventId + ")");
        // A channel that reports one platform message as several messages is caught without a time window: a second
        // message follows, and once it has arrived (platforms deliver one customer's messages in order) exactly two
        // MessageReceived must be there. (Other events, such as an AccountUpdate for a first contact, are allowed.)
        String nextId = fake.deliverText(customerId(), customerName(), "And a second message after it");
        awaitEvent(nextId, "the platform delivered a second text message (event id " + nextId + ")");
        assertThat(sink.events(InboundEvent.MessageReceived.class))
                .as("one platform message must produce exactly one MessageReceived, but the channel delivered %s",
                        sink)
                .extracting(InboundEvent::eventId).containsExactly(eventId, nextId);

        assertThat(event).as("a customer's text must arrive as InboundEvent.MessageReceived, got %s",
                RecordingInboundSink.describe(event)).isInstanceOf(InboundEvent.MessageReceived.class);
        InboundEvent.MessageReceived received = (InboundEvent.MessageReceived) event;
        assertThat(received.account().platformUserId())
                .as("the event's account must be the sender's platform user id").isEqualTo(customerId());
        assertThat(received.account().channel())
                .as("the event's account must belong to the channel that received it (channel.id())")
                .isEqualTo(channel.id());
        assertThat(received.account().tenant())
                .as("the event's account must belong to the channel's tenant (channel.tenant())")
                .isEqualTo(channel.tenant());
        if (!customerName().isEmpty()) {
            assertThat(received.account().profile().displayName())
                    .as("the platform gave the display name '%s'; put it in the account's Profile.displayName",
                            customerName())
                    .contains(customerName());
        }
        assertThat(MarkupText.normalizeWhitespace(received.content().plainText()))
                .as("the event's content must be the text the customer wrote").isEqualTo(text);
    }

    @Test
    @DisplayName("inbound text keeps every character: Cyrillic, emoji, markup characters")
    void inboundTextKeepsEveryCharacter() {
        String text = "Привет! Заказ №42 👍🏽 🇷🇺 *not bold* _x_ <b>&amp;</b> [a](b) \\ `c` ~ # + - = | { } . !";
        String eventId = fake.deliverText(customerId(), customerName(), text);
        InboundEvent event = awaitEvent(eventId, "the platform delivered a text with Cyrillic, emoji and markup "
                + "characters (event id " + eventId + ")");
        assertThat(event).isInstanceOf(InboundEvent.MessageReceived.class);
        assertThat(MarkupText.normalizeWhitespace(((InboundEvent.MessageReceived) event).content().plainText()))
                .as("the customer's text must arrive exactly as typed: decoded as UTF-8, with no markup interpreted "
                        + "or escaping left in")
                .isEqualTo(text);
    }

    @Test
    @DisplayName("a redelivered platform event is reported again with the same event id")
    void redeliveredEventKeepsItsEventId() {
        assumeFalse(unsupported().contains(KitFeature.REDELIVERY), "platform does not redeliver (REDELIVERY)");
        String eventId = fake.deliverText(customerId(), customerName(), "Please deliver me once");
        awaitEvent(eventId, "the platform delivered a text message (event id " + eventId + ")");

        fake.redeliver(eventId);
        org.awaitility.Awaitility.await().atMost(timeout()).untilAsserted(() -> assertThat(sink.events())
                .as("the platform redelivered event %s; the channel must report it again (the inbox dedupes on "
                        + "eventId, a channel must not swallow redeliveries), got %s", eventId, sink)
                .hasSizeGreaterThanOrEqualTo(2));
        for (InboundEvent e : sink.events()) {
            assertThat(e.eventId())
                    .as("a redelivery of platform event %s was reported with another event id, so the inbox would "
                            + "store the customer's message twice: %s", eventId, RecordingInboundSink.describe(e))
                    .isEqualTo(eventId);
        }
    }

    @Test
    @DisplayName("an event whose commit failed is not acknowledged, so the platform delivers it again")
    void failedCommitIsNotAcknowledged() {
        assumeTrue(platformRetriesUnacknowledgedEvents(),
                "the fake does not model platform retries (platformRetriesUnacknowledgedEvents)");
        sink.failNextDeliveries(1);
        String eventId = fake.deliverText(customerId(), customerName(), "Store me even if the first commit fails");
        awaitEvent(eventId, "the inbox failed to commit event " + eventId + " once; the channel must not have "
                + "acknowledged it, so the platform delivers it again and the second commit succeeds");
        assertThat(sink.failedDeliveries())
                .as("the channel never offered event %s to the inbox before the successful commit", eventId)
                .isNotEmpty();
    }

    // ---------------------------------------------------------------- sending

    @Test
    @DisplayName("send completes with the platform message id the platform assigned")
    void sendReturnsThePlatformMessageId() {
        Capabilities caps = channel.capabilities();
        RenderedMessage rendered = renderer().render(Content.text("Your order #42 has shipped."), caps);
        assertThat(rendered.bubbles()).hasSize(1);
        SendReceipt receipt = send(rendered.bubbles().get(0), "sending a short text");

        List<PlatformFake.SentMessage> sent = fake.sent();
        assertThat(sent).as("the channel's send completed but the platform received nothing").isNotEmpty();
        PlatformFake.SentMessage last = sent.get(sent.size() - 1);
        assertThat(receipt.platformMessageId())
                .as("SendReceipt.platformMessageId must be the id the platform assigned (%s)", last)
                .isEqualTo(last.platformMessageId());
        assertThat(last.recipient()).as("the message went to the wrong platform user").isEqualTo(fake.knownRecipient());
        assertThat(MarkupText.normalizeWhitespace(MarkupText.plain(last.text(), caps.markup())))
                .as("the platform received other text than the rendered bubble (markup %s): %s", caps.markup(),
                        last.text())
                .isEqualTo("Your order #42 has shipped.");
    }

    @Test
    @DisplayName("long text is split by the standard renderer and every part fits the platform limit")
    void longTextIsSplitWithinTheLimit() {
        Capabilities caps = channel.capabilities();
        assumeTrue(caps.maxTextLength() <= 2_000_000, "maxTextLength " + caps.maxTextLength()
                + " is too large to send 2.5 times of it in a test");
        String original = KitTexts.longText(caps.maxTextLength() * 5 / 2 + 1, caps.textLengthUnit());
        RenderedMessage rendered = renderer().render(Content.text(original), caps);
        assertThat(rendered.bubbles()).as("text of 2.5x maxTextLength must be split").hasSizeGreaterThanOrEqualTo(3);

        int before = fake.sent().size();
        for (Bubble bubble : rendered.bubbles()) {
            send(bubble, "sending part of a long text");
        }
        org.awaitility.Awaitility.await().atMost(timeout()).untilAsserted(() -> assertThat(fake.sent().size() - before)
                .as("%d bubbles were sent, the platform must have received each as one message",
                        rendered.bubbles().size())
                .isEqualTo(rendered.bubbles().size()));
        List<PlatformFake.SentMessage> parts = fake.sent().subList(before, fake.sent().size());
        List<String> plainParts = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String text = parts.get(i).text();
            int length = caps.textLengthUnit().length(text);
            assertThat(length)
                    .as("part %d as the platform received it is %d %s long, over capabilities().maxTextLength() %d",
                            i + 1, length, caps.textLengthUnit(), caps.maxTextLength())
                    .isLessThanOrEqualTo(caps.maxTextLength());
            plainParts.add(MarkupText.plain(text, caps.markup()));
        }
        assertThat(MarkupText.normalizeWhitespace(String.join(" ", plainParts)))
                .as("the parts the platform received, joined, must be the original text (nothing lost, nothing "
                        + "reordered, escaping as capabilities().markup() = %s)", caps.markup())
                .isEqualTo(MarkupText.normalizeWhitespace(original));
    }

    @Test
    @DisplayName("choices arrive as native buttons, or as a numbered list when the channel has none")
    void choicesAreNativeButtonsOrANumberedList() {
        Capabilities caps = channel.capabilities();
        boolean expectNative = caps.buttons() && caps.maxButtons() >= 3;
        if (unsupported().contains(KitFeature.BUTTONS) && caps.buttons()) {
            fail("unsupported() lists BUTTONS but capabilities() declares maxButtons = " + caps.maxButtons()
                    + "; declare buttons(0, 0) when the platform has none");
        }
        Content content = Content.of(Choices.of("Was your question answered?",
                Choice.postback("Yes", "kit:yes"), Choice.postback("No", "kit:no"),
                Choice.postback("Call me", "kit:call")));
        RenderedMessage rendered = renderer().render(content, caps);
        int before = fake.sent().size();
        for (Bubble bubble : rendered.bubbles()) {
            send(bubble, "sending choices");
        }
        org.awaitility.Awaitility.await().atMost(timeout()).untilAsserted(() ->
                assertThat(fake.sent().size() - before).isEqualTo(rendered.bubbles().size()));
        List<PlatformFake.SentMessage> parts = fake.sent().subList(before, fake.sent().size());
        List<String> labels = parts.stream().flatMap(p -> p.buttonLabels().stream()).collect(Collectors.toList());
        String text = parts.stream().map(p -> MarkupText.plain(p.text(), caps.markup()))
                .collect(Collectors.joining("\n"));
        if (expectNative) {
            assertThat(labels)
                    .as("capabilities() declares %d buttons, so the platform must receive the choices as native "
                            + "buttons (PlatformFake.SentMessage.buttonLabels); it received %s", caps.maxButtons(),
                            parts)
                    .containsExactly("Yes", "No", "Call me");
            assertThat(text).contains("Was your question answered?");
        } else {
            assertThat(labels)
                    .as("capabilities() declares no buttons, yet the platform received buttons").isEmpty();
            assertThat(text)
                    .as("without buttons the choices must arrive as a numbered list")
                    .contains("Was your question answered?", "1. Yes", "2. No", "3. Call me");
            assertThat(rendered.choiceMap().resolve("2"))
                    .as("a reply '2' must map back to the second choice").contains("kit:no");
        }
    }

    // ---------------------------------------------------------------- failures

    @Test
    @DisplayName("429 with retry-after fails the send as retryable with exactly that delay")
    void rateLimitIsRetryableWithTheRetryAfter() {
        fake.failNextSendWithRateLimit(Duration.ofSeconds(7));
        ChannelException e = sendExpectingFailure("the platform answered 429 with retry-after 7 s");
        assertThat(e.retryable())
                .as("a rate-limit answer must be a retryable ChannelException, got %s", e.failure()).isTrue();
        if (!unsupported().contains(KitFeature.RETRY_AFTER)) {
            assertThat(e.failure().retryAfter())
                    .as("the platform said retry after 7 s; SendFailure.retryAfter must carry exactly that, got %s",
                            e.failure())
                    .contains(Duration.ofSeconds(7));
        }
        assertNoSecretIn(e);
        send(Bubble.TextBubble.plain("After the rate limit"), "sending again after a rate-limited send (the fake "
                + "fails only one send)");
    }

    @Test
    @DisplayName("a server error fails the send as retryable")
    void serverErrorIsRetryable() {
        fake.failNextSendWithServerError();
        ChannelException e = sendExpectingFailure("the platform answered with a server error");
        assertThat(e.retryable())
                .as("a server error is transient and must be a retryable ChannelException, got %s", e.failure())
                .isTrue();
        assertNoSecretIn(e);
    }

    @Test
    @DisplayName("a permanent error (recipient blocked us) fails the send as not retryable")
    void permanentErrorIsNotRetryable() {
        fake.failNextSendWithPermanentError();
        ChannelException e = sendExpectingFailure("the platform answered with a permanent error");
        assertThat(e.retryable())
                .as("retrying a permanent error (blocked user, unknown mailbox) cannot succeed; it must be a "
                        + "non-retryable ChannelException, got %s", e.failure())
                .isFalse();
        assertNoSecretIn(e);
    }

    // ---------------------------------------------------------------- hygiene and lifecycle

    @Test
    @DisplayName("toString() of the channel and its configuration shows no secret")
    void noSecretInToString() {
        Set<String> secrets = secrets();
        assertThat(secrets).as("secrets() must name the credentials the channel was configured with").isNotEmpty();
        for (Object o : objectsThatMustNotLeakSecrets(channel)) {
            String shown = String.valueOf(o);
            for (String secret : secrets) {
                assertThat(shown.contains(secret))
                        .as("toString() of %s shows a secret; mask it (e.g. '***')", o.getClass().getName())
                        .isFalse();
            }
        }
    }

    @Test
    @DisplayName("an invalid option fails at build() with IllegalArgumentException naming the option, no secret")
    void anInvalidOptionFailsAtBuildNamingTheOption() {
        Map<String, Callable<? extends Channel>> invalid = invalidConfigurations(fake);
        assumeFalse(invalid.isEmpty(), "invalidConfigurations() declares no invalid configuration");
        invalid.forEach((option, build) -> {
            Throwable failure;
            try {
                Channel built = build.call();
                throw new AssertionError("building with an invalid " + option + " returned " + built + "; build() "
                        + "must check every option and fail with IllegalArgumentException naming it");
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                failure = e;
            }
            assertThat(failure)
                    .as("an invalid %s must fail at build() with IllegalArgumentException (the one validation policy "
                            + "of every channel builder), got %s", option, failure)
                    .isInstanceOf(IllegalArgumentException.class);
            String message = String.valueOf(failure.getMessage());
            assertThat(message).as("the failure for an invalid %s must name the option, got '%s'", option, message)
                    .contains(option);
            for (String secret : secrets()) {
                assertThat(message.contains(secret))
                        .as("the failure for an invalid %s shows a secret; name the option, not the secret", option)
                        .isFalse();
            }
        });
    }

    @Test
    @DisplayName("stop() twice completes normally both times")
    void stopIsIdempotent() {
        await("the first channel.stop()", channel.stop());
        await("a second channel.stop() (must be a no-op)", channel.stop());
    }

    @Test
    @DisplayName("a second start() while running is refused with IllegalStateException, and the first run goes on")
    void aSecondStartWhileRunningIsRefused() {
        RecordingInboundSink other = new RecordingInboundSink();
        Throwable refusal = startFailure(other);
        assertThat(refusal)
                .as("a second channel.start() while the channel runs must fail with IllegalStateException (a second "
                        + "poll loop or a replaced sink loses or doubles messages; ChannelLifecycle implements the "
                        + "rule), got %s", refusal)
                .isInstanceOf(IllegalStateException.class);
        String eventId = fake.deliverText(customerId(), customerName(), "Still the first run");
        awaitEvent(eventId, "after a refused second start the channel must keep delivering into the sink of its "
                + "first start (event id " + eventId + ")");
        assertThat(other.events())
                .as("the refused second start must not deliver anything into its sink").isEmpty();
    }

    @Test
    @DisplayName("start, stop, start again: the channel still receives and sends, with new receipt ids")
    void aStoppedChannelStartsAgainAndReceivesAndSends() {
        String before = send(Bubble.TextBubble.plain("Before the restart"), "sending before the restart")
                .platformMessageId();
        await("channel.stop() before the restart", channel.stop());
        fake.bind(channel);
        RecordingInboundSink restarted = new RecordingInboundSink();
        await("channel.start(sink) after stop() (the inbox restarts channels after a lost lease or an outage; "
                + "build per-run resources in start and release them in stop)", channel.start(restarted));
        sink = restarted;

        String eventId = fake.deliverText(customerId(), customerName(), "Hello after the restart");
        awaitEvent(eventId, "the channel was stopped and started again, then the platform delivered a text "
                + "(event id " + eventId + ")");
        String after = send(Bubble.TextBubble.plain("After the restart"), "sending after the restart")
                .platformMessageId();
        assertThat(after)
                .as("the send after the restart got the same receipt id as one before it; receipt ids must be unique "
                        + "per channel (the outbox stores them under a unique key)")
                .isNotEqualTo(before);
    }

    @Test
    @DisplayName("receipt ids are unique per channel")
    void receiptIdsAreUniquePerChannel() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(send(Bubble.TextBubble.plain("Receipt " + i), "sending text " + i + " of 5").platformMessageId());
        }
        assertThat(ids)
                .as("five sends through one channel must get five different SendReceipt.platformMessageId values "
                        + "(a repeated id makes the outbox treat two messages as one); got %s", ids)
                .doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("fetchMedia of another channel's PlatformFile fails clearly")
    void fetchingAnotherChannelsFileFails() {
        ChannelId other = ChannelId.of(channel.id().value() + "-other");
        MediaSource.PlatformFile foreign = new MediaSource.PlatformFile(other, "kit-foreign-file-1");
        CompletionStage<FetchedMedia> stage;
        try {
            stage = channel.fetchMedia(foreign);
        } catch (RuntimeException e) {
            throw new AssertionError("fetchMedia of a file of channel " + other + " threw " + e + "; return a stage "
                    + "that completes exceptionally instead", e);
        }
        assertThat(stage).as("fetchMedia returned null").isNotNull();
        Throwable failure;
        try {
            FetchedMedia media = stage.toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("fetchMedia of a file that belongs to channel " + other + " returned " + media
                    + "; platform file ids are valid only for the channel that received them, so it must fail");
        } catch (ExecutionException | CompletionException ex) {
            failure = unwrap(ex);
        } catch (TimeoutException ex) {
            throw new AssertionError("fetchMedia of another channel's file did not complete within " + timeout());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
        if (failure instanceof UnsupportedOperationException) {
            return; // a channel that fetches no media at all
        }
        assertThat(String.valueOf(failure.getMessage()))
                .as("the failure must say the file belongs to channel %s, got %s", other, failure)
                .contains(other.value());
        if (failure instanceof ChannelException) {
            assertThat(((ChannelException) failure).retryable())
                    .as("retrying cannot make another channel's file ours: the failure must not be retryable")
                    .isFalse();
        }
    }

    // ---------------------------------------------------------------- helpers for subclasses

    /** Sends {@code bubble} to the fake's known recipient and waits for the receipt, failing with {@code what}. */
    protected final SendReceipt send(Bubble bubble, String what) {
        OutboundMessage message = KitAccounts.message(channel, fake.knownRecipient(), bubble);
        return await(what, invokeSend(message, what));
    }

    /** Sends a short text that the fake was told to fail, and returns the ChannelException the send completed with. */
    protected final ChannelException sendExpectingFailure(String what) {
        OutboundMessage message = KitAccounts.text(channel, fake.knownRecipient(), "This send should fail");
        CompletionStage<SendReceipt> stage = invokeSend(message, what);
        try {
            SendReceipt receipt = stage.toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError(what + ", but send() completed normally with " + receipt
                    + "; it must complete exceptionally with a ChannelException");
        } catch (ExecutionException | CompletionException ex) {
            Throwable cause = unwrap(ex);
            if (cause instanceof ChannelException) {
                return (ChannelException) cause;
            }
            throw new AssertionError(what + ": send() must complete exceptionally with a ChannelException "
                    + "(which says whether to retry), but completed with " + cause, cause);
        } catch (TimeoutException ex) {
            throw new AssertionError(what + ": send() did not complete within " + timeout());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    private CompletionStage<SendReceipt> invokeSend(OutboundMessage message, String what) {
        try {
            CompletionStage<SendReceipt> stage = channel.send(message);
            if (stage == null) {
                throw new AssertionError(what + ": send() returned null instead of a CompletionStage");
            }
            return stage;
        } catch (RuntimeException ex) {
            throw new AssertionError(what + ": send() threw " + ex + " instead of returning a stage that completes "
                    + "exceptionally with a ChannelException", ex);
        }
    }

    /** Waits for the sink to receive an event with {@code eventId} and returns the first one. */
    protected final InboundEvent awaitEvent(String eventId, String what) {
        org.awaitility.Awaitility.await().atMost(timeout()).untilAsserted(() -> assertThat(sink.eventsWithId(eventId))
                .as("%s, but within %s the channel delivered no event with that eventId; it delivered %s", what,
                        timeout(), sink)
                .isNotEmpty());
        return sink.eventsWithId(eventId).get(0);
    }

    /** Waits for {@code stage} within {@link #timeout()}, turning failure into an assertion error naming {@code what}. */
    protected final <T> T await(String what, CompletionStage<T> stage) {
        if (stage == null) {
            throw new AssertionError(what + " returned null instead of a CompletionStage");
        }
        try {
            return stage.toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException ex) {
            Throwable cause = unwrap(ex);
            throw new AssertionError(what + " failed: " + cause, cause);
        } catch (TimeoutException ex) {
            throw new AssertionError(what + " did not complete within " + timeout());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    /** Starts the running channel again and returns why it refused (a thrown or a failed stage). */
    private Throwable startFailure(RecordingInboundSink other) {
        CompletionStage<Void> stage;
        try {
            stage = channel.start(other);
        } catch (RuntimeException e) {
            return e;
        }
        if (stage == null) {
            throw new AssertionError("a second channel.start() returned null instead of a CompletionStage");
        }
        try {
            stage.toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException ex) {
            return unwrap(ex);
        } catch (TimeoutException ex) {
            throw new AssertionError("a second channel.start() while running did not complete within " + timeout()
                    + "; it must fail at once with IllegalStateException");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
        throw new AssertionError("a second channel.start() while the channel runs completed normally; it must fail "
                + "with IllegalStateException (ChannelLifecycle implements the rule)");
    }

    private void assertNoSecretIn(ChannelException e) {
        String shown = e + " " + e.failure();
        for (String secret : secrets()) {
            assertThat(shown.contains(secret)).as("the ChannelException's message shows a secret: mask it").isFalse();
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
