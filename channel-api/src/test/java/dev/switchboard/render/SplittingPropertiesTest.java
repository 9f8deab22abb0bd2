package dev.switchboard.render;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Splitting checked on many generated texts (seeded, so failures reproduce) against oracles independent of the
 * splitter: every formatted chunk fits and is well-formed for its markup, the chunks put together are the original
 * text, and every cut falls between two of the generator's tokens or inside a word, never inside an emoji,
 * a flag, a ZWJ sequence or a letter with combining marks.
 */
class SplittingPropertiesTest {
    /** Tokens that must never be cut inside (words, made of one-char letters, may be hard-cut between letters). */
    private static final List<String> ATOMS = List.of(
            "👍🏽", "🇷🇺", "🇺🇦", "👨‍👩‍👧‍👦", "❤️", "1️⃣", "e\u0301", "😀", "🏳️‍🌈", "\r\n", "ё", "…");
    private static final List<String> WORDS = List.of(
            "hello", "world", "Привет", "мир", "a.b", "x_y", "*star*", "[link]", "(paren)", "~tilde~", "`tick`",
            "#tag", "1+1=2", "a|b", "{c}", "wow!", "Done.", "Why?", "<b>", "&amp;", "\"q\"", "back\\slash",
            "Supercalifragilisticexpialidocious");
    private static final List<String> SEPARATORS = List.of(" ", " ", " ", "  ", "\n", "\n\n", ". ", "! ", "? ");

    private record Generated(List<Span> spans, String plain, Set<Integer> allowedCuts) {}

    private static Generated generate(Random rnd, int tokens, boolean links) {
        List<Span> spans = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        Set<Integer> allowed = new HashSet<>();
        StringBuilder run = new StringBuilder();
        Set<Style> styles = Set.of();
        Optional<URI> link = Optional.empty();
        for (int t = 0; t < tokens; t++) {
            if (rnd.nextInt(8) == 0) {
                if (run.length() > 0) {
                    spans.add(new Span(run.toString(), styles, link));
                    run.setLength(0);
                }
                styles = randomStyles(rnd);
                link = links && rnd.nextInt(4) == 0 ? Optional.of(URI.create("https://e.x/" + rnd.nextInt(99)))
                        : Optional.empty();
            }
            String token;
            int kind = rnd.nextInt(10);
            if (kind < 3) {
                token = ATOMS.get(rnd.nextInt(ATOMS.size()));
            } else if (kind < 7) {
                token = WORDS.get(rnd.nextInt(WORDS.size()));
            } else {
                token = SEPARATORS.get(rnd.nextInt(SEPARATORS.size()));
            }
            int startOfToken = plain.length();
            allowed.add(startOfToken);
            if (!ATOMS.contains(token)) {
                for (int i = 1; i < token.length(); i++) {
                    allowed.add(startOfToken + i); // words are one-char letters: a hard cut may fall anywhere
                }
            }
            plain.append(token);
            run.append(token);
        }
        allowed.add(plain.length());
        if (run.length() > 0) {
            spans.add(new Span(run.toString(), styles, link));
        }
        return new Generated(spans, plain.toString(), allowed);
    }

    private static Set<Style> randomStyles(Random rnd) {
        EnumSet<Style> s = EnumSet.noneOf(Style.class);
        for (Style style : Style.values()) {
            if (rnd.nextInt(3) == 0) {
                s.add(style);
            }
        }
        return s;
    }

    @Test
    void chunksFitAreWellFormedLoseNothingAndCutOnlyBetweenCharacters() {
        Random rnd = new Random(20261123);
        int checked = 0;
        for (int round = 0; round < 200; round++) {
            boolean links = round % 2 == 0;
            Generated g = generate(rnd, 20 + rnd.nextInt(200), links);
            for (Markup markup : Markup.values()) {
                for (TextLengthUnit unit : TextLengthUnit.values()) {
                    // From 32 units every grapheme fits with its markup; below that a cut between code points is the rule.
                    int limit = links ? 48 + rnd.nextInt(200) : 32 + rnd.nextInt(200);
                    check(g, markup, unit, limit);
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(200 * 6);
    }

    private static void check(Generated g, Markup markup, TextLengthUnit unit, int limit) {
        MarkupFormatter f = MarkupFormatter.forMarkup(markup);
        List<TextSplitter.Chunk> chunks = new TextSplitter(limit, unit, f).split(g.spans());
        String context = markup + " " + unit + " limit " + limit + " text " + g.plain();
        int searchFrom = 0;
        StringBuilder joined = new StringBuilder();
        for (TextSplitter.Chunk c : chunks) {
            assertThat(unit.length(c.formatted())).as("chunk too long: %s / %s", c.formatted(), context)
                    .isLessThanOrEqualTo(limit);
            assertThat(c.formatted()).as(context).isEqualTo(f.format(c.spans()));
            if (markup == Markup.TELEGRAM_MARKDOWN_V2) {
                assertThat(FormattedSyntax.markdownV2Problem(c.formatted())).as(context).isNull();
            } else if (markup == Markup.HTML) {
                assertThat(FormattedSyntax.htmlProblem(c.formatted())).as(context).isNull();
            }
            String piece = TextSplitter.concat(c.spans());
            int at = g.plain().indexOf(piece, searchFrom);
            assertThat(at).as("chunk '%s' is not the next piece of the original (%s)", piece, context)
                    .isGreaterThanOrEqualTo(searchFrom);
            assertThat(g.plain().substring(searchFrom, at)).as("only whitespace may be dropped at a cut").isBlank();
            assertThat(g.allowedCuts()).as("cut inside a character at %d / %d: '%s' (%s)", at, at + piece.length(),
                    piece, context).contains(at, at + piece.length());
            searchFrom = at + piece.length();
            joined.append(piece);
        }
        assertThat(g.plain().substring(searchFrom)).as("text lost at the end (%s)", context).isBlank();
        assertThat(joined.toString().replaceAll("\\s+", "")).isEqualTo(g.plain().replaceAll("\\s+", ""));
    }

    @Test
    void aTelegramMessageOfEscapedPunctuationFitsItsLimitAfterEscaping() {
        String text = "Wait... what?! (Really) -- yes. ".repeat(300); // ~9600 chars, about 40% need escaping
        Capabilities caps = Caps.telegram();
        RenderedMessage r = Renderer.standard().render(Content.text(text), caps);
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < r.bubbles().size(); i++) {
            Bubble.TextBubble t = (Bubble.TextBubble) r.bubbles().get(i);
            assertThat(t.formatted().length()).isLessThanOrEqualTo(4096);
            if (i < r.bubbles().size() - 1) {
                assertThat(t.formatted().length()).as("only the last part may be short").isGreaterThan(3500);
            }
            assertThat(FormattedSyntax.markdownV2Problem(t.formatted())).isNull();
            plain.append(t.plain()).append(' ');
        }
        assertThat(plain.toString().replaceAll("\\s+", " ").strip()).isEqualTo(text.strip());
        assertThat(r.bubbles()).hasSizeBetween(3, 5);
    }

    @Test
    void aStyledSpanCutInTwoIsClosedAndReopened() {
        Text text = Text.builder().bold("one two three four five six seven eight nine ten eleven").build();
        RenderedMessage r = Renderer.standard().render(Content.of(text),
                Caps.small(Markup.TELEGRAM_MARKDOWN_V2, 32, TextLengthUnit.UTF16_UNITS));
        assertThat(r.bubbles()).hasSizeGreaterThan(1).allSatisfy(b -> {
            String f = ((Bubble.TextBubble) b).formatted();
            assertThat(f).startsWith("*").endsWith("*");
        });
        RenderedMessage html = Renderer.standard().render(Content.of(text),
                Caps.small(Markup.HTML, 32, TextLengthUnit.UTF16_UNITS));
        assertThat(html.bubbles()).hasSizeGreaterThan(1).allSatisfy(b -> {
            String f = ((Bubble.TextBubble) b).formatted();
            assertThat(f).startsWith("<b>").endsWith("</b>");
        });
    }

    @Test
    void aLinkLongerThanTheLimitIsSpelledOutAndSplitLikeText() {
        String url = "https://example.com/track?" + "id=0123456789&".repeat(12);
        Text text = Text.builder().plain("Track your parcel: ").link("here", URI.create(url)).plain(". Thanks!")
                .build();
        for (Markup markup : Markup.values()) {
            RenderedMessage r = Renderer.standard().render(Content.of(text),
                    Caps.small(markup, 64, TextLengthUnit.UTF16_UNITS));
            StringBuilder joined = new StringBuilder();
            for (Bubble b : r.bubbles()) {
                Bubble.TextBubble t = (Bubble.TextBubble) b;
                assertThat(t.formatted().length()).as("%s: %s", markup, t.formatted()).isLessThanOrEqualTo(64);
                joined.append(t.plain());
            }
            assertThat(joined.toString()).as(markup.toString()).contains("here", "Thanks!")
                    .contains(url.substring(0, 40)).contains(url.substring(url.length() - 20));
        }
    }

    @Test
    void surrogatePairsAreNeverSplitEvenWithoutGraphemeBoundaries() {
        // 40 copies of a ZWJ family make one huge "grapheme" run no limit can hold whole: cut between code points.
        String zwjRun = "👨‍👩‍👧‍👦".repeat(1) + "\u200D👨".repeat(40);
        RenderedMessage r = Renderer.standard().render(Content.text(zwjRun),
                Caps.small(Markup.PLAIN, 16, TextLengthUnit.UTF16_UNITS));
        StringBuilder joined = new StringBuilder();
        for (Bubble b : r.bubbles()) {
            String s = b.plain();
            assertThat(s.length()).isLessThanOrEqualTo(16);
            assertThat(Character.isLowSurrogate(s.charAt(0))).isFalse();
            assertThat(Character.isHighSurrogate(s.charAt(s.length() - 1))).isFalse();
            joined.append(s);
        }
        assertThat(joined.toString()).isEqualTo(zwjRun);
    }
}
