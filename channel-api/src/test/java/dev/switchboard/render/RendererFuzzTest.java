package dev.switchboard.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.content.Content;
import dev.switchboard.content.Span;
import dev.switchboard.content.Style;
import dev.switchboard.content.Text;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes the renderer with arbitrary styled text (any characters: lone surrogates, control characters, markup
 * metacharacters of every flavour, long runs without spaces) for every markup and small length limits. In the normal
 * build this replays the committed corpus ({@code RendererFuzzTestInputs/render/}); with {@code JAZZER_FUZZ=1} it
 * fuzzes. Properties: rendering never throws, every text bubble fits the channel's limit, and no text is lost (the
 * bubbles' plain text holds every non-whitespace character of the input, in order).
 */
class RendererFuzzTest {

    private static final Renderer RENDERER = Renderer.standard();

    @FuzzTest(maxDuration = "60s")
    void render(FuzzedDataProvider data) {
        Markup markup = data.pickValue(Markup.values());
        TextLengthUnit unit = data.pickValue(TextLengthUnit.values());
        int max = data.consumeInt(16, 300);
        List<Span> spans = new ArrayList<>();
        int count = data.consumeInt(1, 6);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            String text = data.consumeString(200);
            if (text.isEmpty()) {
                continue;
            }
            Set<Style> styles = EnumSet.noneOf(Style.class);
            for (Style s : Style.values()) {
                if (data.consumeBoolean()) {
                    styles.add(s);
                }
            }
            Optional<URI> link = data.consumeBoolean() ? Optional.of(URI.create("https://example.com/" + i))
                    : Optional.empty();
            spans.add(new Span(text, styles, link));
        }
        if (spans.isEmpty()) {
            return;
        }
        Capabilities caps = Capabilities.builder().maxTextLength(max, unit).markup(markup).build();
        RenderedMessage rendered = RENDERER.render(Content.of(new Text(spans)), caps);
        StringBuilder input = new StringBuilder();
        spans.forEach(s -> input.append(s.text()));
        for (Bubble b : rendered.bubbles()) {
            if (b instanceof Bubble.TextBubble t) {
                assertThat(unit.length(t.formatted())).as("bubble of %s within %d %s", markup, max, unit)
                        .isLessThanOrEqualTo(max);
            }
        }
        assertThat(nonSpace(rendered.plainText())).as("text kept").contains(nonSpace(input.toString()));
    }

    private static String nonSpace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().filter(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)).forEach(out::appendCodePoint);
        return out.toString();
    }
}
