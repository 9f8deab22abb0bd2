package dev.switchboard.channel.vk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
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
import dev.switchboard.testkit.RecordingInboundSink;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Carousels: a VK template for clients with {@code client_info.carousel}, degraded for the others. */
class VkCarouselTest {
    private final ObjectMapper json = new ObjectMapper();
    private final VkFake fake = new VkFake();
    private final RecordingInboundSink sink = new RecordingInboundSink();
    private VkChannel channel;

    private static final Cards TEAS = Cards.builder().prompt("Our teas")
            .card(card("Green", "buy:green", new byte[] {(byte) 0xFF, (byte) 0xD8, 1}))
            .card(card("Black", "buy:black", new byte[] {(byte) 0xFF, (byte) 0xD8, 2}))
            .build();

    private static Card card(String title, String payload, byte[] photo) {
        return Card.builder(title).description(title + " tea, 100 g")
                .image(Media.of(MediaKind.IMAGE, "image/jpeg", new MediaSource.Inline(photo)))
                .postback("Buy", payload).link("About", URI.create("https://shop.example/" + title))
                .build();
    }

    @BeforeEach
    void start() {
        channel = TestChannels.callback(fake).build();
        fake.bind(channel);
        channel.start(sink).toCompletableFuture().join();
    }

    @AfterEach
    void close() {
        channel.stop().toCompletableFuture().join();
        fake.close();
    }

    private ChannelAccount account(String user) {
        return ChannelAccount.of(channel.tenant(), channel.id(), user, Profile.EMPTY);
    }

    /** Renders for the user as the inbox does, sends every bubble, and returns what was rendered. */
    private RenderedMessage sendTo(String user, Cards cards) {
        RenderedMessage r = Renderer.standard().render(Content.of(cards), channel.capabilities(account(user)),
                channel.id());
        for (int i = 0; i < r.bubbles().size(); i++) {
            send(user, r.bubbles().get(i), user + ":" + i);
        }
        return r;
    }

    private void send(String user, Bubble bubble, String key) {
        channel.send(new OutboundMessage(channel.id(), account(user), MessageId.of("m-" + key), 0, bubble, key,
                Optional.empty(), ThreadHints.NONE, Optional.empty(), false)).toCompletableFuture().join();
    }

    private void hello(String user, com.fasterxml.jackson.databind.node.ObjectNode clientInfo) {
        int before = sink.events().size();
        fake.deliverMessage(fake.message(user).put("text", "hi"), clientInfo);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.events().size() == before + 1);
    }

    @Test
    void aClientWithCarouselsGetsOneTemplateWithUploadedPhotos() throws Exception {
        hello("2001", fake.modernClient());
        RenderedMessage r = sendTo("2001", TEAS);
        assertThat(r.bubbles()).singleElement().isInstanceOf(Bubble.CardsBubble.class);

        VkFake.Delivered d = fake.messagesTo("2001").get(0);
        assertThat(d.text()).isEqualTo("Our teas");
        JsonNode template = json.readTree(d.template().orElseThrow());
        assertThat(template.path("type").asText()).isEqualTo("carousel");
        JsonNode elements = template.path("elements");
        assertThat(elements).hasSize(2);
        JsonNode green = elements.path(0);
        assertThat(green.path("title").asText()).isEqualTo("Green");
        assertThat(green.path("description").asText()).isEqualTo("Green tea, 100 g");
        assertThat(green.path("action").path("type").asText()).isEqualTo("open_photo");
        assertThat(fake.savedFiles()).anySatisfy((id, upload) -> {
            assertThat(id).startsWith("photo" + green.path("photo_id").asText() + "_");
            assertThat(upload.bytes()).containsExactly((byte) 0xFF, (byte) 0xD8, 1);
        });
        JsonNode buy = green.path("buttons").path(0).path("action");
        assertThat(buy.path("type").asText()).isEqualTo("callback");
        assertThat(buy.path("payload").asText()).isEqualTo("{\"sb\":\"buy:green\"}");
        assertThat(green.path("buttons").path(1).path("action").path("link").asText())
                .isEqualTo("https://shop.example/Green");
        assertThat(fake.calls()).extracting(VkFake.ApiCall::method).containsSubsequence(
                "photos.getMessagesUploadServer", "photos.saveMessagesPhoto", "photos.getMessagesUploadServer",
                "photos.saveMessagesPhoto", "messages.send");
    }

    @Test
    void aClientWithoutCarouselsGetsEachCardAsAPhotoAndATextWithItsKeyboard() throws Exception {
        hello("2002", fake.modernClient().put("carousel", false));
        RenderedMessage r = sendTo("2002", TEAS);
        assertThat(r.bubbles()).noneMatch(b -> b instanceof Bubble.CardsBubble);
        List<VkFake.Delivered> seen = fake.messagesTo("2002");
        assertThat(seen).allSatisfy(d -> assertThat(d.template()).isEmpty());
        assertThat(seen).extracting(VkFake.Delivered::text).containsExactly("Our teas", "", "Green\nGreen tea, 100 g",
                "", "Black\nBlack tea, 100 g");
        assertThat(seen.get(1).attachments()).singleElement().asString().startsWith("photo-");
        JsonNode keyboard = json.readTree(seen.get(2).keyboard().orElseThrow());
        assertThat(keyboard.path("buttons").path(0).path(0).path("action").path("payload").asText())
                .isEqualTo("{\"sb\":\"buy:green\"}");
    }

    @Test
    void aClientWithoutKeyboardsGetsNumberedChoicesThatMapBack() {
        hello("2003", fake.modernClient().put("carousel", false).put("keyboard", false)
                .put("inline_keyboard", false));
        RenderedMessage r = sendTo("2003", TEAS);
        assertThat(fake.messagesTo("2003")).allSatisfy(d -> {
            assertThat(d.template()).isEmpty();
            assertThat(d.keyboard()).isEmpty();
        });
        assertThat(fake.messagesTo("2003").get(2).text()).contains("Green", "1. Buy", "About: https://shop.example/Green");
        assertThat(r.choiceMap().resolve("2")).contains("buy:black");
    }

    /** A template the renderer would never produce reaches the fake, which refuses it as VK does (error 100). */
    @Test
    void theFakeRefusesTemplatesThatBreakVksRules() {
        Card plain = Card.builder("Tea").description("Loose leaf").postback("Buy", "buy").build();
        List<Cards> broken = List.of(
                Cards.of(Card.builder("Mug").description("Clay").build()),                  // no buttons
                Cards.of(plain, Card.builder("Mug").postback("Buy", "mug").build()),         // different fields
                Cards.of(Card.builder("T".repeat(81)).description("d").postback("Buy", "b").build()),
                Cards.of(Card.builder("Tea").postback("Buy", "buy").build()));              // no photo, no text
        for (int i = 0; i < broken.size(); i++) {
            Bubble bubble = new Bubble.CardsBubble(broken.get(i), Optional.empty(), Markup.PLAIN);
            String key = "broken:" + i;
            Throwable t = catchThrowable(() -> send("2004", bubble, key));
            assertThat(t).isInstanceOf(CompletionException.class);
            assertThat(t.getCause()).isInstanceOfSatisfying(VkApiError.class, e -> {
                assertThat(e.errorCode()).isEqualTo(100);
                assertThat(e.retryable()).isFalse();
            });
        }
        assertThat(fake.messagesTo("2004")).isEmpty();
        send("2004", new Bubble.CardsBubble(Cards.of(plain, plain), Optional.empty(), Markup.PLAIN), "ok:0");
        assertThat(fake.messagesTo("2004")).singleElement().satisfies(d -> assertThat(d.template()).isPresent());
    }
}
