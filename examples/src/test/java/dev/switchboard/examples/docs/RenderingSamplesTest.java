package dev.switchboard.examples.docs;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.CardLimits;
import dev.switchboard.channel.Channel;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples of docs/rendering.md, verbatim between the markers (see {@link DocSamplesTest}). */
class RenderingSamplesTest {

    @Test
    void renderingForAChannelWithoutButtons() {
        Channel channel = new AcmeSmsChannel(new AcmeSmsChannel.Config("https://sms.acme.example"));
        Content content = Content.of(Choices.of("Which size?", Choice.postback("Small", "size:s"),
                Choice.postback("Large", "size:l")));
        List<Bubble> sent = new ArrayList<>();
        // ---- doc snippet begins
        RenderedMessage r = Renderer.standard().render(content, channel.capabilities(), channel.id());
        for (Bubble b : r.bubbles()) { /* one OutboundMessage each */ }
        r.choiceMap().resolve("2");   // later: the customer's reply "2" -> Optional.of(postback payload)
        // ---- doc snippet ends
        sent.addAll(r.bubbles());
        assertThat(sent).isNotEmpty();
        assertThat(r.choiceMap().resolve("2")).contains("size:l");
    }

    @Test
    void cardsOnAChannelWithoutCardsOrButtons() {
        Channel channel = new AcmeSmsChannel(new AcmeSmsChannel.Config("https://sms.acme.example"));
        // ---- doc snippet begins
        Cards slots = Cards.builder().prompt("Free slots on Monday")
                .card(Card.builder("10:00, Dr. Ivanova").description("Room 12")
                        .image(Media.of(MediaKind.IMAGE, "image/jpeg",
                                new MediaSource.Url(URI.create("https://clinic.example/rooms/12.jpg"))))
                        .postback("Book", "book:mon-10").link("Directions", URI.create("https://clinic.example/map"))
                        .build())
                .card(Card.builder("11:30, Dr. Petrov").description("Room 7")
                        .image(Media.of(MediaKind.IMAGE, "image/jpeg",
                                new MediaSource.Url(URI.create("https://clinic.example/rooms/7.jpg"))))
                        .postback("Book", "book:mon-1130").link("Directions", URI.create("https://clinic.example/map"))
                        .build())
                .build();
        RenderedMessage r = Renderer.standard().render(Content.of(slots), channel.capabilities(), channel.id());
        r.choiceMap().resolve("2");   // on a channel without cards or buttons: Optional.of("book:mon-1130")
        // ---- doc snippet ends
        assertThat(r.bubbles()).noneMatch(b -> b instanceof Bubble.CardsBubble);
        assertThat(r.choiceMap().resolve("2")).contains("book:mon-1130");
        assertThat(r.plainText()).contains("10:00, Dr. Ivanova", "1. Book", "Directions: https://clinic.example/map");
    }

    @Test
    void declaringCards() {
        // ---- doc snippet begins
        Capabilities caps = Capabilities.builder().buttons(10, 40).linkButtons(true).media(MediaKind.IMAGE)
                .cards(CardLimits.builder().maxCards(10).maxButtonsPerCard(3).maxTitleLength(80)
                        .maxDescriptionLength(80).uniformFields(true).buttonRequired(true).build())
                .build();
        // ---- doc snippet ends
        assertThat(caps.cards()).isPresent();
    }
}
