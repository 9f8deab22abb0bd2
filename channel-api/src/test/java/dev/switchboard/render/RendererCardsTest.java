package dev.switchboard.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.CardLimits;
import dev.switchboard.channel.Markup;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Text;
import dev.switchboard.model.ChannelId;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cards: native within a channel's {@link CardLimits}, otherwise degraded card by card, never dropped. */
class RendererCardsTest {
    private final Renderer renderer = Renderer.standard();

    private static final Media PHOTO = Media.of(MediaKind.IMAGE, "image/jpeg",
            new MediaSource.Url(URI.create("https://cdn.example/tea.jpg")));

    private static Card card(String title, String payload) {
        return Card.builder(title).description(title + " description").image(PHOTO).postback("Buy", payload)
                .link("More", URI.create("https://shop.example/" + payload)).build();
    }

    private static final Cards TWO = Cards.builder().prompt("Our teas").card(card("Green", "buy:green"))
            .card(card("Black", "buy:black")).build();

    private static Capabilities vkLike() {
        return Capabilities.builder().buttons(10, 40).linkButtons(true).media(MediaKind.IMAGE)
                .cards(CardLimits.builder().uniformFields(true).buttonRequired(true)
                        .imageOrDescriptionRequired(true).maxTitleLength(10).build())
                .build();
    }

    @Test
    void aChannelWithCardsGetsOneFittedCardsBubble() {
        RenderedMessage r = renderer.render(Content.of(TWO), vkLike());
        assertThat(r.bubbles()).hasSize(1);
        Bubble.CardsBubble b = (Bubble.CardsBubble) r.bubbles().get(0);
        assertThat(b.formattedPrompt()).contains("Our teas");
        assertThat(b.cards().cards()).extracting(Card::title).containsExactly("Green", "Black");
        assertThat(r.choiceMap().isEmpty()).isTrue();
        Card longTitle = Card.builder("A very long title indeed").description("d").postback("Buy", "p").build();
        Bubble.CardsBubble fitted = (Bubble.CardsBubble) renderer.render(Content.of(Cards.of(longTitle)), vkLike())
                .bubbles().get(0);
        assertThat(fitted.cards().cards().get(0).title()).isEqualTo("A very lo…");
    }

    @Test
    void aCarouselBreakingTheChannelsRulesIsDegradedAsAWhole() {
        Card noButtons = Card.builder("Plain").description("no buttons").build();
        Card noImage = Card.builder("White").description("d").postback("Buy", "buy:white").build();
        Card withImage = card("Green", "buy:green");
        for (Cards broken : List.of(Cards.of(withImage, noImage), Cards.of(noButtons),
                Cards.of(Card.builder("Title only").postback("Buy", "p").build()))) {
            RenderedMessage r = renderer.render(Content.of(broken), vkLike());
            assertThat(r.bubbles()).noneMatch(b -> b instanceof Bubble.CardsBubble);
            assertThat(r.plainText()).contains(broken.cards().get(0).title());
        }
        Cards eleven = new Cards(Optional.empty(), List.of(withImage, withImage, withImage, withImage, withImage,
                withImage, withImage, withImage, withImage, withImage));
        Capabilities fewer = Capabilities.builder().buttons(10, 40).linkButtons(true)
                .cards(CardLimits.builder().maxCards(5).build()).build();
        assertThat(renderer.render(Content.of(eleven), fewer).bubbles())
                .noneMatch(b -> b instanceof Bubble.CardsBubble);
    }

    @Test
    void anotherChannelsImageCannotGoIntoNativeCards() {
        Media foreign = Media.of(MediaKind.IMAGE, "image/png", new MediaSource.PlatformFile(ChannelId.of("tg"), "f"));
        Cards cards = Cards.of(Card.builder("Mug").image(foreign).postback("Buy", "mug").build());
        assertThat(renderer.render(Content.of(cards), vkLike(), ChannelId.of("vk")).bubbles())
                .noneMatch(b -> b instanceof Bubble.CardsBubble);
        assertThat(renderer.render(Content.of(cards), vkLike(), ChannelId.of("tg")).bubbles())
                .singleElement().isInstanceOf(Bubble.CardsBubble.class);
    }

    /** Without buttons every card's postbacks are numbered on across cards, and each number maps back. */
    @Test
    void aPlainChannelGetsEachCardAsTextWithNumberedChoices() {
        RenderedMessage r = renderer.render(Content.of(TWO), Caps.plain(4096));
        assertThat(r.bubbles()).extracting(Bubble::plain).containsExactly(
                "Our teas",
                "[image] https://cdn.example/tea.jpg",
                "Green\nGreen description\n1. Buy\nMore: https://shop.example/buy:green\nReply with a number.",
                "[image] https://cdn.example/tea.jpg",
                "Black\nBlack description\n2. Buy\nMore: https://shop.example/buy:black\nReply with a number.");
        assertThat(r.choiceMap().resolve("1")).contains("buy:green");
        assertThat(r.choiceMap().resolve("2.")).contains("buy:black");
    }

    /** With buttons but no native cards (Telegram): per card a photo, then its bold title with its own buttons. */
    @Test
    void aChannelWithButtonsGetsOneMessagePerCardWithItsButtons() {
        Cards one = Cards.of(Card.builder("Green").description("Sencha").image(PHOTO).postback("Buy", "buy:green")
                .defaultLink(URI.create("https://shop.example/green")).build());
        RenderedMessage r = renderer.render(Content.of(one), Caps.telegram(Markup.HTML));
        assertThat(r.bubbles()).hasSize(2);
        assertThat(r.bubbles().get(0)).isInstanceOf(Bubble.MediaBubble.class);
        Bubble.TextBubble text = (Bubble.TextBubble) r.bubbles().get(1);
        assertThat(text.formatted()).isEqualTo("<b>Green</b>\nSencha\n"
                + "<a href=\"https://shop.example/green\">https://shop.example/green</a>");
        assertThat(text.buttons()).containsExactly(Choice.postback("Buy", "buy:green"));
        assertThat(r.choiceMap().isEmpty()).isTrue();
    }

    @Test
    void aPromptOverTheTextLimitGoesBeforeTheCarousel() {
        Capabilities caps = Capabilities.builder().maxTextLength(20, dev.switchboard.channel.TextLengthUnit
                .CODE_POINTS).buttons(3, 20).cards(CardLimits.builder().build()).build();
        Cards cards = new Cards(Optional.of(Text.plain("A prompt that is longer than twenty")),
                List.of(Card.builder("T").postback("Buy", "p").build()));
        RenderedMessage r = renderer.render(Content.of(cards), caps);
        assertThat(r.bubbles().get(r.bubbles().size() - 1)).isInstanceOfSatisfying(Bubble.CardsBubble.class,
                b -> {
                    assertThat(b.formattedPrompt()).isEmpty();
                    assertThat(b.cards().prompt()).isEmpty();
                });
        assertThat(r.bubbles().subList(0, r.bubbles().size() - 1)).allMatch(b -> b instanceof Bubble.TextBubble);
    }

    @Test
    void linkButtonsNeedLinkButtonSupportForNativeCards() {
        Capabilities noLinks = Capabilities.builder().buttons(3, 20).cards(CardLimits.builder().build()).build();
        assertThat(renderer.render(Content.of(TWO), noLinks).bubbles())
                .noneMatch(b -> b instanceof Bubble.CardsBubble);
        assertThat(renderer.render(Content.of(TWO), noLinks.withoutCards().withoutButtons()).choiceMap().isEmpty())
                .isFalse();
    }

    /** Email: native cards without buttons; postbacks are numbered in their labels and map back, links stay. */
    @Test
    void nativeCardsOnAChannelWithoutButtonsNumberTheirPostbacks() {
        Capabilities email = Capabilities.builder().markup(Markup.HTML).media(MediaKind.IMAGE)
                .cards(CardLimits.builder().build()).build();
        RenderedMessage r = renderer.render(Content.of(Choices.of("First", Choice.postback("Yes", "yes")), TWO),
                email);
        Bubble.CardsBubble b = (Bubble.CardsBubble) r.bubbles().get(1);
        assertThat(b.cards().cards().get(0).buttons()).extracting(Choice::label).containsExactly("2. Buy", "More");
        assertThat(b.cards().cards().get(1).buttons()).extracting(Choice::label).containsExactly("3. Buy", "More");
        assertThat(b.replyHint()).contains("Reply with a number.");
        assertThat(r.choiceMap().resolve("1")).contains("yes");
        assertThat(r.choiceMap().resolve("3")).contains("buy:black");
        Cards linksOnly = Cards.of(Card.builder("Docs").link("Open", URI.create("https://docs.example")).build());
        assertThat(((Bubble.CardsBubble) renderer.render(Content.of(linksOnly), email).bubbles().get(0)).replyHint())
                .isEmpty();
    }
}
