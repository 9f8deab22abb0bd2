package dev.switchboard.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The card model refuses what no channel could show, naming the field. */
class CardsTest {
    private static final Card OK = Card.builder("Tea").postback("Buy", "buy").build();

    @Test
    void aCardNeedsATitleAndAtMostThreePostbackOrLinkButtons() {
        assertThatThrownBy(() -> Card.builder(" ").build()).hasMessageContaining("card title");
        assertThatThrownBy(() -> Card.builder(null).build()).hasMessageContaining("card title is required");
        assertThatThrownBy(() -> Card.builder("T").description(" ").build())
                .hasMessageContaining("card description");
        assertThatThrownBy(() -> Card.builder("T").postback("a", "a").postback("b", "b").postback("c", "c")
                .postback("d", "d").build()).hasMessageContaining("card buttons must be at most 3, got 4");
        assertThatThrownBy(() -> Card.builder("T").button(Choice.sharePhone("Phone")).build())
                .hasMessageContaining("card buttons must be postbacks or links");
        Media pdf = Media.of(MediaKind.FILE, "application/pdf", new MediaSource.Url(URI.create("https://x/a.pdf")));
        assertThatThrownBy(() -> Card.builder("T").image(pdf).build()).hasMessageContaining("card image");
    }

    @Test
    void aCarouselHoldsOneToTenCards() {
        assertThatThrownBy(() -> Cards.builder().build()).hasMessageContaining("cards must hold 1-10 cards, got 0");
        assertThatThrownBy(() -> new Cards(Optional.empty(), java.util.Collections.nCopies(11, OK)))
                .hasMessageContaining("got 11");
        Cards cards = Cards.builder().prompt("Pick").card(OK).build();
        assertThat(cards.plainText()).isEqualTo("Pick\nTea\nBuy");
        assertThat(cards.cards()).isEqualTo(List.of(OK));
    }
}
