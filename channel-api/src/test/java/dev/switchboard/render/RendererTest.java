package dev.switchboard.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Markup;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.ContactCard;
import dev.switchboard.content.Content;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Part;
import dev.switchboard.content.Text;
import dev.switchboard.model.ChannelId;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Rules of the renderer that are about behaviour rather than exact output. */
class RendererTest {
    private final Renderer renderer = Renderer.standard();

    @Test
    void emptyContentRendersToNoBubbles() {
        assertThat(renderer.render(Content.of(), Caps.telegram()).bubbles()).isEmpty();
        assertThat(renderer.render(Content.text("  \n\t "), Caps.telegram()).bubbles()).isEmpty();
        assertThat(renderer.render(Content.of(), Caps.telegram()).choiceMap().isEmpty()).isTrue();
    }

    @Test
    void shortTextIsOneBubbleKeptExactly() {
        RenderedMessage r = renderer.render(Content.text("  Hello,\n\nworld  "), Caps.plain(100));
        assertThat(r.bubbles()).containsExactly(Bubble.TextBubble.plain("  Hello,\n\nworld  "));
    }

    /** Every part of a rich message leaves a trace the customer can read, on every kind of channel. */
    @Test
    void nothingIsDroppedOnAnyChannel() {
        Media pdf = new Media(MediaKind.FILE, "application/pdf", Optional.of("terms.pdf"), OptionalLong.empty(),
                new MediaSource.Url(URI.create("https://cdn.example/terms.pdf")), Optional.of(Text.plain("Terms")));
        Media foreign = new Media(MediaKind.IMAGE, "image/png", Optional.of("scan.png"), OptionalLong.of(1),
                new MediaSource.PlatformFile(ChannelId.of("other"), "f1"), Optional.empty());
        List<Part> parts = List.of(Text.plain("Intro"), pdf, foreign,
                new Location(1.5, 2.25, Optional.of("Shop"), Optional.empty()),
                new ContactCard("Bob", Optional.of("+100"), Optional.empty()),
                Choices.of("Pick", Choice.postback("Alpha", "a"), Choice.link("Beta", URI.create("https://b.example")),
                        Choice.sharePhone("Gamma")));
        for (Capabilities caps : List.of(Caps.telegram(), Caps.telegram(Markup.HTML), Caps.webchat(), Caps.plain(60),
                Caps.small(Markup.TELEGRAM_MARKDOWN_V2, 40, dev.switchboard.channel.TextLengthUnit.UTF16_UNITS))) {
            RenderedMessage r = renderer.render(new Content(parts), caps);
            StringBuilder visible = new StringBuilder();
            for (Bubble b : r.bubbles()) {
                visible.append(b.plain()).append('\n');
                if (b instanceof Bubble.TextBubble) {
                    ((Bubble.TextBubble) b).buttons().forEach(c -> visible.append(c.label()).append('\n'));
                }
                if (b instanceof Bubble.MediaBubble) {
                    visible.append(((Bubble.MediaBubble) b).media().fileName().orElse("")).append('\n');
                }
                if (b instanceof Bubble.LocationBubble) {
                    visible.append(((Bubble.LocationBubble) b).location().name().orElse("")).append('\n');
                }
            }
            String all = visible.toString().replaceAll("\\s+", "");
            assertThat(all).as("on %s", caps).contains("Intro", "terms.pdf", "Terms", "scan.png", "Shop", "Bob",
                    "Pick", "Alpha", "Beta", "Gamma");
        }
    }

    @Test
    void buttonsAreNativeOnlyWhenEveryShownChoiceFits() {
        Choices four = Choices.of("Q", Choice.postback("a", "1"), Choice.postback("b", "2"), Choice.postback("c", "3"),
                Choice.postback("d", "4"));
        RenderedMessage r = renderer.render(Content.of(four), Caps.webchat()); // 3 buttons max
        Bubble.TextBubble t = (Bubble.TextBubble) r.bubbles().get(0);
        assertThat(t.buttons()).isEmpty();
        assertThat(r.choiceMap().payloadByNumber()).hasSize(4);
    }

    @Test
    void buttonsGoOnTheLastPartOfALongPrompt() {
        Choices c = new Choices(Optional.of(Text.plain("Long prompt sentence. ".repeat(10))),
                List.of(Choice.postback("Ok", "ok")));
        Capabilities caps = Capabilities.builder().maxTextLength(60, dev.switchboard.channel.TextLengthUnit.UTF16_UNITS)
                .buttons(2, 10).build();
        List<Bubble> bubbles = renderer.render(Content.of(c), caps).bubbles();
        assertThat(bubbles).hasSizeGreaterThan(2);
        for (int i = 0; i < bubbles.size(); i++) {
            assertThat(((Bubble.TextBubble) bubbles.get(i)).buttons()).hasSize(i == bubbles.size() - 1 ? 1 : 0);
        }
    }

    @Test
    void captionLimitIsConfigurable() {
        Renderer shortCaptions = Renderer.builder().maxCaptionLength(10).build();
        Media m = Media.of(MediaKind.IMAGE, "image/png", new MediaSource.Url(URI.create("https://x.example/a.png")))
                .withCaption(Text.plain("eleven char"));
        List<Bubble> bubbles = shortCaptions.render(Content.of(m), Caps.telegram()).bubbles();
        assertThat(bubbles).hasSize(2);
        assertThat(((Bubble.MediaBubble) bubbles.get(0)).formattedCaption()).isEmpty();
        assertThat(((Bubble.MediaBubble) bubbles.get(0)).media().caption()).isEmpty();
        assertThat(bubbles.get(1).plain()).isEqualTo("eleven char");
    }

    @Test
    void fallbackPhrasesCanBeTranslated() {
        Renderer russian = Renderer.builder().numberedListHint("Ответьте цифрой.").build();
        RenderedMessage r = russian.render(Content.of(Choices.of("Когда?", Choice.postback("Сегодня", "t"))),
                Caps.plain(100));
        assertThat(r.bubbles().get(0).plain()).isEqualTo("Когда?\n1. Сегодня\nОтветьте цифрой.");
    }

    @Test
    void badConfigurationIsRejectedAtBuild() {
        assertThatThrownBy(() -> Renderer.builder().maxCaptionLength(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxCaptionLength");
        assertThatThrownBy(() -> Renderer.builder().numberedListHint(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numberedListHint");
    }
}
