package dev.switchboard.channel.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.MessageId;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.testkit.KitAccounts;
import dev.switchboard.testkit.RecordingInboundSink;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cards reach the widget as one message frame with a {@code cards} array the widget draws without HTML. */
class WebchatCardsTest {
    private WebchatChannel channel;

    @BeforeEach
    void start() {
        channel = WebchatChannel.builder().tokenSecret(WebchatEndpointTest.TOKEN_SECRET)
                .identitySecret(WebchatEndpointTest.IDENTITY_SECRET).log(new InMemoryWebchatLog()).agentsOnline(true)
                .build();
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        channel.stop().toCompletableFuture().join();
    }

    private JsonNode newSession() {
        WebhookResponse r = channel.endpoint().handle(new WebhookRequest("POST", "/webchat/session", Map.of(),
                Map.of(), "{\"lang\":\"en\"}".getBytes(StandardCharsets.UTF_8), Optional.empty()))
                .toCompletableFuture().join();
        return WebchatEndpointTest.parse(r.bodyAsUtf8());
    }

    @Test
    void cardsAreOneAgentFrameWithTitlesImagesAndButtons() {
        JsonNode s = newSession();
        RecordingConnection c = new RecordingConnection();
        channel.endpoint().open(s.path("token").asText(), OptionalLong.of(0), "1.1.1.1", c);
        Cards cards = Cards.builder().prompt("Pick a slot")
                .card(Card.builder("<b>Mon</b> 10:00").description("Room 1")
                        .image(Media.of(MediaKind.IMAGE, "image/png",
                                new MediaSource.Url(URI.create("https://cdn.example/room1.png"))))
                        .postback("Book", "book:mon").link("Map", URI.create("https://maps.example/1"))
                        .defaultLink(URI.create("https://clinic.example/rooms/1")).build())
                .card(Card.builder("Tue 11:00").postback("Book", "book:tue").build())
                .build();
        RenderedMessage r = Renderer.standard().render(Content.of(cards), channel.capabilities(), channel.id());
        assertThat(r.bubbles()).singleElement().isInstanceOf(Bubble.CardsBubble.class);
        channel.send(new OutboundMessage(channel.id(), KitAccounts.account(channel, s.path("sessionId").asText()),
                MessageId.random(), 0, r.bubbles().get(0), "cards:0", Optional.empty(), ThreadHints.NONE,
                Optional.empty(), false)).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(5)).until(() -> c.messagesFrom("agent").size() == 1);

        JsonNode frame = c.messagesFrom("agent").get(0);
        assertThat(frame.path("text").asText()).isEqualTo("Pick a slot");
        JsonNode mon = frame.path("cards").path(0);
        assertThat(mon.path("title").asText()).isEqualTo("<b>Mon</b> 10:00"); // text; the widget never parses it
        assertThat(mon.path("description").asText()).isEqualTo("Room 1");
        assertThat(mon.path("link").asText()).isEqualTo("https://clinic.example/rooms/1");
        assertThat(mon.path("image").path("url").asText()).isEqualTo("https://cdn.example/room1.png");
        assertThat(mon.path("buttons").path(0).path("payload").asText()).isEqualTo("book:mon");
        assertThat(mon.path("buttons").path(1).path("url").asText()).isEqualTo("https://maps.example/1");
        assertThat(frame.path("cards").path(1).has("image")).isFalse();
    }

    @Test
    void theWidgetDrawsCardsWithTextContentAndSafeLinksOnly() throws Exception {
        String js;
        try (var in = WebchatChannel.class.getResourceAsStream("widget.js")) {
            js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String cardRow = js.substring(js.indexOf("function cardRow"), js.indexOf("function render("));
        assertThat(cardRow).contains("safeHref(c.link)", "safeHref(fileUrl(c.image.url))", "el('button', null, btn.label)")
                .doesNotContain("innerHTML", ".href = c.link");
    }
}
