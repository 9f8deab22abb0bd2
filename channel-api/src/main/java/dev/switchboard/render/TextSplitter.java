package dev.switchboard.render;

import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.content.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits styled text into chunks whose <em>formatted</em> form fits a length limit. Cuts are chosen on the plain
 * text, preferring (in order) a paragraph break, a line break, a sentence end, any whitespace, and only then a hard
 * cut at a grapheme boundary. Paragraph, line and sentence breaks count only in the last two thirds of the window, so a
 * chunk is never needlessly short; whitespace anywhere beats cutting a word. Each chunk is then formatted, and if
 * escaping pushed it over the limit the window shrinks by the overflow and the cut is chosen again. Styles and links
 * that cross a cut are closed at the end of one chunk and reopened in the next, because every chunk is formatted from
 * its own slice of the spans. Whitespace at a cut is dropped.
 */
final class TextSplitter {

    private final int limit;
    private final TextLengthUnit unit;
    private final MarkupFormatter formatter;

    TextSplitter(int limit, TextLengthUnit unit, MarkupFormatter formatter) {
        this.limit = limit;
        this.unit = unit;
        this.formatter = formatter;
    }

    /** A formatted chunk with the spans it was made from. */
    record Chunk(List<Span> spans, String formatted) {}

    List<Chunk> split(List<Span> original) {
        String whole = formatter.format(original);
        if (unit.length(whole) <= limit) {
            return List.of(new Chunk(original, whole));
        }
        List<Span> spans = spellOutLongLinks(original);
        String plain = concat(spans);
        List<Chunk> chunks = new ArrayList<>();
        int start = skipWhitespace(plain, 0);
        while (start < plain.length()) {
            int window = Boundaries.endWithin(plain, start, limit, unit);
            Chunk chunk = null;
            int end = start;
            while (chunk == null) {
                int cut = window >= plain.length() ? plain.length() : chooseCut(plain, start, window);
                end = trimEnd(plain, start, cut);
                List<Span> slice = slice(spans, start, end);
                String formatted = formatter.format(slice);
                int formattedLength = unit.length(formatted);
                if (formattedLength <= limit) {
                    chunk = new Chunk(slice, formatted);
                } else {
                    // Escaping grew the chunk: shrink the window in proportion and choose the cut again, but not
                    // below the first whole grapheme unless that alone is what does not fit.
                    int proportional = start + (int) ((long) (end - start) * limit / formattedLength);
                    int target = Math.min(end - 1, proportional);
                    int minimal = firstGraphemeEnd(plain, start);
                    if (end > minimal) {
                        target = Math.max(target, minimal);
                    }
                    int smaller = Boundaries.lastCodePointBoundary(plain, start, target);
                    if (smaller <= start) {
                        // Not even one character fits once formatted (only possible with limits below any real
                        // platform's): send the smallest whole piece rather than loop or drop it.
                        end = firstGraphemeEnd(plain, start);
                        slice = slice(spans, start, end);
                        chunk = new Chunk(slice, formatter.format(slice));
                    } else {
                        window = smaller;
                    }
                }
            }
            chunks.add(chunk);
            start = skipWhitespace(plain, end);
        }
        return chunks;
    }

    /**
     * Links whose URL takes more than half the limit would leave little room for text in every chunk they
     * touch, and one longer than the limit could not fit at all; they are written out as plain "text (url)" (or just
     * the url) so the URL can be split like text. Nothing is lost; such a URL is only no longer clickable as a whole.
     */
    private List<Span> spellOutLongLinks(List<Span> spans) {
        List<Span> out = new ArrayList<>(spans.size());
        for (Span s : spans) {
            if (s.link().isPresent() && unit.length(s.link().get().toString()) > limit / 2) {
                String url = s.link().get().toString();
                if (s.text().strip().equals(url)) {
                    out.add(new Span(s.text(), s.styles(), java.util.Optional.empty()));
                } else {
                    out.add(new Span(s.text(), s.styles(), java.util.Optional.empty()));
                    out.add(Span.plain(" (" + url + ")"));
                }
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** The best cut in {@code (start, window]}; a cut at {@code i} ends the chunk before {@code plain[i]}. */
    static int chooseCut(String plain, int start, int window) {
        int third = start + (window - start) / 3;
        int last = Math.min(window, plain.length() - 1);
        for (int i = last; i > third; i--) {
            if (isParagraphBreak(plain, i)) {
                return i;
            }
        }
        for (int i = last; i > third; i--) {
            if (plain.charAt(i) == '\n') {
                return i;
            }
        }
        for (int i = last; i > third; i--) {
            if (isSentenceEnd(plain, i)) {
                return i;
            }
        }
        for (int i = last; i > start; i--) {
            if (Character.isWhitespace(plain.charAt(i))) {
                return i;
            }
        }
        int cut = Boundaries.lastGraphemeBoundary(plain, start, window);
        if (cut > start) {
            return cut;
        }
        cut = Boundaries.lastCodePointBoundary(plain, start, window);
        return cut > start ? cut : firstGraphemeEnd(plain, start);
    }

    /** A line break followed, after optional blanks, by another: an empty line between paragraphs. */
    private static boolean isParagraphBreak(String s, int i) {
        if (s.charAt(i) != '\n') {
            return false;
        }
        for (int j = i + 1; j < s.length() && Character.isWhitespace(s.charAt(j)); j++) {
            if (s.charAt(j) == '\n') {
                return true;
            }
        }
        return false;
    }

    /** Whitespace right after sentence-ending punctuation, allowing closing quotes or brackets in between. */
    private static boolean isSentenceEnd(String s, int i) {
        if (!Character.isWhitespace(s.charAt(i))) {
            return false;
        }
        int j = i - 1;
        while (j >= 0 && "\"')]»”’".indexOf(s.charAt(j)) >= 0) {
            j--;
        }
        return j >= 0 && ".!?…。！？".indexOf(s.charAt(j)) >= 0;
    }

    private static int firstGraphemeEnd(String s, int start) {
        int i = start + Character.charCount(s.codePointAt(start));
        while (i < s.length() && !Boundaries.isGraphemeBoundary(s, i)) {
            i++;
        }
        return i;
    }

    private static int trimEnd(String s, int start, int end) {
        int e = end;
        while (e > start && Character.isWhitespace(s.charAt(e - 1))) {
            e--;
        }
        return e > start ? e : end;
    }

    private static int skipWhitespace(String s, int i) {
        int j = i;
        while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
            j++;
        }
        return j;
    }

    static String concat(List<Span> spans) {
        StringBuilder sb = new StringBuilder();
        for (Span s : spans) {
            sb.append(s.text());
        }
        return sb.toString();
    }

    /** The spans restricted to plain-text offsets {@code [from, to)}, styles and links kept. */
    static List<Span> slice(List<Span> spans, int from, int to) {
        List<Span> out = new ArrayList<>();
        int offset = 0;
        for (Span s : spans) {
            int a = Math.max(from, offset);
            int b = Math.min(to, offset + s.text().length());
            if (a < b) {
                out.add(s.withText(s.text().substring(a - offset, b - offset)));
            }
            offset += s.text().length();
            if (offset >= to) {
                break;
            }
        }
        return out;
    }
}
