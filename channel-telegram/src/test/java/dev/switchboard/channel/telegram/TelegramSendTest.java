package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.ContactCard;
import dev.switchboard.content.Content;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Span;
import dev.switchboard.content.Style;
import dev.switchboard.content.Text;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import dev.switchboard.testkit.RecordingInboundSink;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sending: escaping, splitting, keyboards, media by URL, file_id and upload, replies, and the error mapping. */
class TelegramSendTest {
    private static final String CHAT = TelegramFake.KNOWN_RECIPIENT;
    private TelegramFake fake;
    private TelegramChannel channel;

    @BeforeEach
    void start() {
        fake = new TelegramFake();
        channel = TestChannels.polling(fake).build();
    }

    @AfterEach
    void stop() {
        channel.stop().toCompletableFuture().join();
        fake.close();
    }

    private OutboundMessage to(String chat, Bubble bubble) {
        return OutboundMessage.simple(channel.id(), ChannelAccount.of(channel.tenant(), channel.id(), chat,
                Profile.EMPTY), bubble);
    }

    private SendReceipt send(String chat, Bubble bubble) {
        return channel.send(to(chat, bubble)).toCompletableFuture().join();
    }

    private ChannelException failure(String chat, Bubble bubble) {
        try {
            SendReceipt r = channel.send(to(chat, bubble)).toCompletableFuture().join();
            throw new AssertionError("expected a failure, got " + r);
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(ChannelException.class);
            return (ChannelException) e.getCause();
        }
    }

    private RenderedMessage render(Content content) {
        return Renderer.standard().render(content, channel.capabilities(), channel.id());
    }

    private JsonNode lastParams(String method) {
        List<TelegramFake.ApiCall> calls = fake.calls(method);
        assertThat(calls).as("calls of %s", method).isNotEmpty();
        return calls.get(calls.size() - 1).params();
    }

    @Test
    void everyReservedCharacterSurvivesHtmlParsingExactly() {
        String reserved = "_ * [ ] ( ) ~ ` > # + - = | { } . ! < & \" ' \\ &amp; &lt;b&gt; <b>not bold</b> a<b c>d";
        Content content = Content.of(Text.of(Span.plain(reserved + " "), Span.styled("bold <&>", Style.BOLD),
                Span.plain(" "), Span.styled("code `<x>`", Style.CODE), Span.plain(" "),
                Span.link("link [1] (a&b)", URI.create("https://example.com/?q=a&b=%22c%22"))));
        RenderedMessage rendered = render(content);
        assertThat(rendered.bubbles()).hasSize(1);
        Bubble.TextBubble bubble = (Bubble.TextBubble) rendered.bubbles().get(0);
        assertThat(bubble.markup()).isEqualTo(Markup.HTML);

        SendReceipt receipt = send(CHAT, bubble);

        assertThat(receipt.platformMessageId()).isEqualTo(CHAT + ":1");
        JsonNode params = lastParams("sendMessage");
        assertThat(params.path("parse_mode").asText()).isEqualTo("HTML");
        assertThat(TelegramFake.htmlToPlain(params.path("text").asText()))
                .isEqualTo(reserved + " bold <&> code `<x>` link [1] (a&b)");
    }

    @Test
    void unescapedHtmlIsRejectedByTheFakeAsTelegramWouldAndMapsToInvalidRequest() {
        ChannelException e = failure(CHAT, new Bubble.TextBubble("1 < 2 & 3", "1 < 2 & 3", Markup.HTML, List.of()));
        assertThat(e.failure().kind()).isEqualTo(FailureKind.INVALID_REQUEST);
        assertThat(e.failure().description()).contains("can't parse entities");
    }

    @Test
    void plainTextIsSentWithoutParseMode() {
        send(CHAT, Bubble.TextBubble.plain("1 < 2 & <b>"));
        JsonNode params = lastParams("sendMessage");
        assertThat(params.has("parse_mode")).isFalse();
        assertThat(params.path("text").asText()).isEqualTo("1 < 2 & <b>");
    }

    @Test
    void textOver4096UnitsIsSplitByTheRendererAndEveryPartIsAcceptedByTelegram() {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 10_000) {
            sb.append("Emoji 👍🏽 and <tags> & \"quotes\" count as Telegram counts them. ");
        }
        RenderedMessage rendered = render(Content.text(sb.toString()));
        assertThat(rendered.bubbles()).hasSizeGreaterThanOrEqualTo(3);
        StringBuilder received = new StringBuilder();
        for (Bubble b : rendered.bubbles()) {
            send(CHAT, b);
            String plain = TelegramFake.htmlToPlain(lastParams("sendMessage").path("text").asText());
            assertThat(plain.length()).isLessThanOrEqualTo(4096);
            received.append(plain);
        }
        assertThat(received.toString().replaceAll("\\s+", "")).isEqualTo(sb.toString().replaceAll("\\s+", ""));
    }

    @Test
    void aBubbleOverTheLimitFailsClearlyWithoutCallingTelegram() {
        String big = "x".repeat(4097);
        ChannelException e = failure(CHAT, Bubble.TextBubble.plain(big));
        assertThat(e.retryable()).isFalse();
        assertThat(e.failure().description()).contains("4097").contains("4096");
        assertThat(fake.calls("sendMessage")).isEmpty();
    }

    @Test
    void postbackAndLinkChoicesBecomeAnInlineKeyboardAndLongPayloadsRoundTrip() {
        String longPayload = "order:12345:action=cancel-and-refund-to-original-payment-method:reason=damaged:ü";
        assertThat(longPayload.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(64);
        RenderedMessage rendered = render(Content.of(Choices.of("What now?",
                Choice.postback("Cancel", longPayload), Choice.postback("Keep", "keep"),
                Choice.link("Track", URI.create("https://track.example.com/42")))));
        send(CHAT, rendered.bubbles().get(0));
        JsonNode keyboard = lastParams("sendMessage").path("reply_markup").path("inline_keyboard");
        assertThat(keyboard).hasSize(3);
        String data = keyboard.get(0).get(0).path("callback_data").asText();
        assertThat(data.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
        assertThat(keyboard.get(1).get(0).path("callback_data").asText()).isEqualTo("keep");
        assertThat(keyboard.get(2).get(0).path("url").asText()).isEqualTo("https://track.example.com/42");
        assertThat(fake.sent().get(0).buttonLabels()).containsExactly("Cancel", "Keep", "Track");

        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().join();
        long id = Fixtures.push(fake, Map.of("callback_query", Map.of("id", "77", "data", data,
                "chat_instance", "1", "from", Map.of("id", 424242001L, "is_bot", false, "first_name", "Bo"),
                "message", Map.of("message_id", 1, "date", 1763900000L,
                        "chat", Map.of("id", 424242001L, "type", "private")))));
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.eventsWithId(Long.toString(id)).isEmpty());
        InboundEvent.Postback postback = (InboundEvent.Postback) sink.eventsWithId(Long.toString(id)).get(0);
        assertThat(postback.payload()).isEqualTo(longPayload);
    }

    /**
     * Telegram has no carousel: each card becomes its photo, then one message with its bold title and description
     * and its own inline keyboard (Telegram cannot attach more than one keyboard to an album).
     */
    @Test
    void cardsBecomeAPhotoAndAMessageWithItsOwnKeyboardPerCard() {
        Media photo = Media.of(MediaKind.IMAGE, "image/jpeg",
                new MediaSource.Url(URI.create("https://cdn.example.com/green.jpg")));
        Cards cards = Cards.builder().prompt("Our teas")
                .card(Card.builder("Green").description("Sencha & more").image(photo).postback("Buy", "buy:green")
                        .link("About", URI.create("https://shop.example/green")).build())
                .card(Card.builder("Black").description("Assam").postback("Buy", "buy:black").build())
                .build();
        RenderedMessage rendered = render(Content.of(cards));
        for (Bubble b : rendered.bubbles()) {
            send(CHAT, b);
        }
        assertThat(fake.calls()).extracting(TelegramFake.ApiCall::method).filteredOn(m -> m.startsWith("send"))
                .containsExactly("sendMessage", "sendPhoto", "sendMessage", "sendMessage");
        JsonNode green = fake.calls("sendMessage").get(1).params();
        assertThat(green.path("text").asText()).isEqualTo("<b>Green</b>\nSencha &amp; more");
        JsonNode keyboard = green.path("reply_markup").path("inline_keyboard");
        assertThat(keyboard.get(0).get(0).path("callback_data").asText()).isEqualTo("buy:green");
        assertThat(keyboard.get(1).get(0).path("url").asText()).isEqualTo("https://shop.example/green");
        JsonNode black = lastParams("sendMessage");
        assertThat(black.path("reply_markup").path("inline_keyboard").get(0).get(0).path("callback_data").asText())
                .isEqualTo("buy:black");
        assertThat(rendered.choiceMap().isEmpty()).isTrue();
    }

    @Test
    void sharePhoneChoiceBecomesAOneTimeReplyKeyboardWithRequestContact() {
        RenderedMessage rendered = render(Content.of(Choices.of("To find your orders we need your phone.",
                Choice.sharePhone("Share my phone"))));
        send(CHAT, rendered.bubbles().get(0));
        JsonNode markup = lastParams("sendMessage").path("reply_markup");
        assertThat(markup.has("inline_keyboard")).isFalse();
        assertThat(markup.path("keyboard").get(0).get(0).path("text").asText()).isEqualTo("Share my phone");
        assertThat(markup.path("keyboard").get(0).get(0).path("request_contact").asBoolean()).isTrue();
        assertThat(markup.path("one_time_keyboard").asBoolean()).isTrue();
    }

    @Test
    void replyToASpecificMessageUsesReplyParameters() {
        OutboundMessage reply = new OutboundMessage(channel.id(), ChannelAccount.of(channel.tenant(), channel.id(),
                CHAT, Profile.EMPTY), MessageId.random(), 0, Bubble.TextBubble.plain("Sure!"), "k1",
                Optional.of(CHAT + ":4711"), ThreadHints.NONE, Optional.empty(), false);
        channel.send(reply).toCompletableFuture().join();
        JsonNode rp = lastParams("sendMessage").path("reply_parameters");
        assertThat(rp.path("message_id").asLong()).isEqualTo(4711);
        assertThat(rp.has("chat_id")).isFalse();
        assertThat(rp.path("allow_sending_without_reply").asBoolean()).isTrue();
    }

    @Test
    void photoByUrlDocumentByFileIdAndUploadByMultipart() {
        Media photo = Media.of(MediaKind.IMAGE, "image/jpeg",
                new MediaSource.Url(URI.create("https://cdn.example.com/p.jpg"))).withCaption(Text.plain("A & B"));
        RenderedMessage rendered = render(Content.of(photo));
        SendReceipt r1 = send(CHAT, rendered.bubbles().get(0));
        JsonNode p1 = lastParams("sendPhoto");
        assertThat(p1.path("photo").asText()).isEqualTo("https://cdn.example.com/p.jpg");
        assertThat(TelegramFake.htmlToPlain(p1.path("caption").asText())).isEqualTo("A & B");
        assertThat(p1.path("parse_mode").asText()).isEqualTo("HTML");

        Media doc = Media.of(MediaKind.FILE, "application/pdf", new MediaSource.PlatformFile(channel.id(), "BQAC-doc"));
        SendReceipt r2 = send(CHAT, new Bubble.MediaBubble(doc, Optional.empty(), Markup.HTML));
        assertThat(lastParams("sendDocument").path("document").asText()).isEqualTo("BQAC-doc");

        byte[] pdf = "%PDF-1.7 fake".getBytes(StandardCharsets.US_ASCII);
        Media upload = Media.of(MediaKind.FILE, "application/pdf", new MediaSource.Inline(pdf))
                .withFileName("invoice.pdf");
        SendReceipt r3 = send(CHAT, new Bubble.MediaBubble(upload, Optional.of("Your invoice"), Markup.HTML));
        TelegramFake.ApiCall call = fake.calls("sendDocument").get(1);
        assertThat(call.file()).hasValueSatisfying(f -> {
            assertThat(f.field()).isEqualTo("document");
            assertThat(f.fileName()).isEqualTo("invoice.pdf");
            assertThat(f.contentType()).startsWith("application/pdf");
            assertThat(f.bytes()).isEqualTo(pdf);
        });
        assertThat(call.params().path("chat_id").asText()).isEqualTo(CHAT);
        assertThat(call.params().path("caption").asText()).isEqualTo("Your invoice");
        assertThat(List.of(r1, r2, r3)).extracting(SendReceipt::platformMessageId)
                .containsExactly(CHAT + ":1", CHAT + ":2", CHAT + ":3");

        Media voice = Media.of(MediaKind.VOICE, "audio/ogg", new MediaSource.Inline(new byte[] {1, 2, 3}));
        send(CHAT, new Bubble.MediaBubble(voice, Optional.empty(), Markup.HTML));
        assertThat(fake.calls("sendVoice").get(0).file()).hasValueSatisfying(f ->
                assertThat(f.fileName()).isEqualTo("voice.ogg"));
    }

    @Test
    void anotherChannelsFileIdIsRefusedClearly() {
        Media doc = Media.of(MediaKind.FILE, "application/pdf",
                new MediaSource.PlatformFile(dev.switchboard.model.ChannelId.of("other-bot"), "BQAC"));
        ChannelException e = failure(CHAT, new Bubble.MediaBubble(doc, Optional.empty(), Markup.HTML));
        assertThat(e.failure().kind()).isEqualTo(FailureKind.INVALID_REQUEST);
        assertThat(e.failure().description()).contains("other-bot");
    }

    @Test
    void locationsVenuesAndContacts() {
        send(CHAT, new Bubble.LocationBubble(Location.of(55.7558, 37.6173)));
        assertThat(lastParams("sendLocation").path("latitude").asDouble()).isEqualTo(55.7558);
        send(CHAT, new Bubble.LocationBubble(new Location(55.75, 37.61, Optional.of("Shop"),
                Optional.of("Tverskaya 1"))));
        assertThat(lastParams("sendVenue").path("title").asText()).isEqualTo("Shop");
        send(CHAT, new Bubble.ContactBubble(new ContactCard("Support", Optional.of("+74951234567"),
                Optional.empty())));
        assertThat(lastParams("sendContact").path("phone_number").asText()).isEqualTo("+74951234567");
        assertThat(lastParams("sendContact").path("first_name").asText()).isEqualTo("Support");
    }

    @Test
    void rateLimitCarriesRetryAfterFromTheBodyOrElseTheHeader() {
        fake.failNextSendWithRateLimit(Duration.ofSeconds(7));
        ChannelException e = failure(CHAT, Bubble.TextBubble.plain("hi"));
        assertThat(e.failure().kind()).isEqualTo(FailureKind.RATE_LIMITED);
        assertThat(e.failure().retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.failure().platformCode()).contains("429");

        fake.failNextSend(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests\"}",
                Map.of("Retry-After", "12"));
        assertThat(failure(CHAT, Bubble.TextBubble.plain("hi")).failure().retryAfter())
                .contains(Duration.ofSeconds(12));
    }

    @Test
    void serverErrorsAreRetryableWhateverTheirBody() {
        fake.failNextSendWithServerError();
        assertThat(failure(CHAT, Bubble.TextBubble.plain("hi")).failure().kind()).isEqualTo(FailureKind.UNAVAILABLE);
        fake.failNextSend(502, "<html><body>502 Bad Gateway</body></html>", Map.of("Content-Type", "text/html"));
        ChannelException e = failure(CHAT, Bubble.TextBubble.plain("hi"));
        assertThat(e.failure().kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void blockedUserAndMissingChatArePermanentWithTheDescription() {
        fake.blockChat(777);
        ChannelException blocked = failure("777", Bubble.TextBubble.plain("hi"));
        assertThat(blocked.failure().kind()).isEqualTo(FailureKind.RECIPIENT_UNREACHABLE);
        assertThat(blocked.retryable()).isFalse();
        assertThat(blocked.failure().description()).contains("Forbidden: bot was blocked by the user");

        fake.removeChat(778);
        ChannelException missing = failure("778", Bubble.TextBubble.plain("hi"));
        assertThat(missing.failure().kind()).isEqualTo(FailureKind.INVALID_REQUEST);
        assertThat(missing.failure().description()).contains("Bad Request: chat not found");
        assertThat(missing.failure().platformCode()).contains("400");
    }

    @Test
    void wrongTokenIsUnauthorizedAndNeverShowsTheToken() {
        String wrong = "123456789:AAHwrongTokenWrongTokenWrongToken_xyz";
        TelegramChannel bad = TestChannels.polling(fake).botToken(wrong).build();
        try {
            bad.send(to(CHAT, Bubble.TextBubble.plain("hi"))).toCompletableFuture().join();
            throw new AssertionError("expected failure");
        } catch (CompletionException e) {
            ChannelException ce = (ChannelException) e.getCause();
            assertThat(ce.failure().kind()).isEqualTo(FailureKind.UNAUTHORIZED);
            assertThat(ce.toString()).doesNotContain(wrong).doesNotContain("AAHwrongToken");
        }
    }

    @Test
    void groupMigratedToSupergroupIsResentThereAndRemembered() {
        fake.migrateChat(-4001, -1004001);
        SendReceipt r = send("-4001", Bubble.TextBubble.plain("hello group"));
        assertThat(r.platformMessageId()).isEqualTo("-1004001:1");
        int calls = fake.calls("sendMessage").size();
        SendReceipt second = channel.send(to("-4001", Bubble.TextBubble.plain("again")))
                .toCompletableFuture().join();
        assertThat(second.platformMessageId()).isEqualTo("-1004001:2");
        assertThat(fake.calls("sendMessage")).as("the mapping is remembered: one call for the second send")
                .hasSize(calls + 1);
    }

    @Test
    void networkFailureIsRetryableAndItsMessageDoesNotContainTheToken() {
        fake.close();
        ChannelException e = failure(CHAT, Bubble.TextBubble.plain("hi"));
        assertThat(e.failure().kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        StringBuilder all = new StringBuilder(e.toString()).append(e.failure());
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append(t.getMessage());
        }
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        all.append(trace);
        String secretPart = TelegramFake.TOKEN.substring(TelegramFake.TOKEN.indexOf(':') + 1);
        assertThat(all.toString()).doesNotContain(secretPart);
    }

    @Test
    void fetchMediaUsesGetFileAndDownloadsFromTheFilePath() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x10};
        fake.addFile("AgACAgIAAxkBAAIBZ2Vlarge", "photos/file_17.jpg", jpeg);
        FetchedMedia media = channel.fetchMedia(new MediaSource.PlatformFile(channel.id(),
                "AgACAgIAAxkBAAIBZ2Vlarge")).toCompletableFuture().join();
        assertThat(media.bytes()).isEqualTo(jpeg);
        assertThat(media.mimeType()).isEqualTo("image/jpeg");
        assertThat(media.fileName()).contains("file_17.jpg");

        try {
            channel.fetchMedia(new MediaSource.PlatformFile(channel.id(), "gone")).toCompletableFuture().join();
            throw new AssertionError("expected failure");
        } catch (CompletionException e) {
            assertThat(((ChannelException) e.getCause()).failure().description()).contains("invalid file_id");
        }
    }
}
