package dev.switchboard.render;

import dev.switchboard.channel.Markup;
import dev.switchboard.content.Span;
import dev.switchboard.content.Style;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes styled {@link Span}s in one {@link Markup} flavour, escaping everything the flavour reserves, so text a
 * customer or agent typed can never turn into markup. The standard {@link Renderer} uses it for text, captions and
 * degraded parts; channels may use it for their own strings (a Telegram callback answer, an email HTML part).
 *
 * <p>Rules per flavour:
 * <ul>
 *   <li>{@link Markup#PLAIN}: styles are dropped; a link is written {@code text (url)}, or just {@code url} when the
 *       text is the URL.</li>
 *   <li>{@link Markup#HTML}: {@code <b> <i> <code> <a href="...">}; {@code & < >} escaped in text, and {@code "} too
 *       in attribute values.</li>
 *   <li>{@link Markup#TELEGRAM_MARKDOWN_V2}: {@code *bold* _italic_ `code` [text](url)}; outside entities each of
 *       {@code _ * [ ] ( ) ~ ` > # + - = | { } . !} and {@code \} is escaped with {@code \}; inside code only
 *       {@code `} and {@code \}; inside a link URL only {@code )} and {@code \}.</li>
 * </ul>
 * Code cannot be combined with other entities on Telegram, so a code span drops bold and italic, and a code span
 * that is also a link is written as a link (the URL matters more than the monospace). In MarkdownV2 a bare URL
 * (link text equal to the URL) is written as escaped text, which Telegram links by itself. Adjacent spans with the same
 * styles and link are merged first, which also keeps MarkdownV2 free of the {@code __} (underline) ambiguity.
 * Stateless and thread-safe.
 */
public abstract class MarkupFormatter {

    private static final MarkupFormatter PLAIN = new Plain();
    private static final MarkupFormatter HTML = new Html();
    private static final MarkupFormatter MARKDOWN_V2 = new MarkdownV2();

    MarkupFormatter() {
    }

    /** The formatter for {@code markup}. */
    public static MarkupFormatter forMarkup(Markup markup) {
        switch (Objects.requireNonNull(markup, "markup")) {
            case PLAIN:
                return PLAIN;
            case HTML:
                return HTML;
            case TELEGRAM_MARKDOWN_V2:
                return MARKDOWN_V2;
            default:
                throw new IllegalArgumentException("unknown markup " + markup);
        }
    }

    /** The flavour this formatter writes. */
    public abstract Markup markup();

    /** The spans written in this flavour, escaped. */
    public final String format(List<Span> spans) {
        StringBuilder out = new StringBuilder();
        for (Span span : merge(spans)) {
            if (span.text().isEmpty()) {
                continue;
            }
            boolean code = span.styles().contains(Style.CODE) && span.link().isEmpty();
            if (code) {
                appendCode(out, span.text());
            } else {
                appendStyled(out, span.text(), span.styles().contains(Style.BOLD),
                        span.styles().contains(Style.ITALIC), span.link());
            }
        }
        return out.toString();
    }

    /** Text escaped for this flavour, with no styles. */
    public final String escape(String text) {
        return format(List.of(Span.plain(text)));
    }

    abstract void appendCode(StringBuilder out, String text);

    abstract void appendStyled(StringBuilder out, String text, boolean bold, boolean italic, Optional<URI> link);

    /** Joins neighbouring spans that would be written the same way. */
    static List<Span> merge(List<Span> spans) {
        List<Span> merged = new ArrayList<>(spans.size());
        for (Span s : spans) {
            if (s.text().isEmpty()) {
                continue;
            }
            int last = merged.size() - 1;
            if (last >= 0 && merged.get(last).styles().equals(s.styles()) && merged.get(last).link().equals(s.link())) {
                merged.set(last, merged.get(last).withText(merged.get(last).text() + s.text()));
            } else {
                merged.add(s);
            }
        }
        return merged;
    }

    /** Styles dropped, links spelled out. */
    private static final class Plain extends MarkupFormatter {
        @Override
        public Markup markup() {
            return Markup.PLAIN;
        }

        @Override
        void appendCode(StringBuilder out, String text) {
            out.append(text);
        }

        @Override
        void appendStyled(StringBuilder out, String text, boolean bold, boolean italic, Optional<URI> link) {
            out.append(text);
            if (link.isPresent()) {
                String url = link.get().toString();
                if (!text.strip().equals(url)) {
                    out.append(" (").append(url).append(')');
                }
            }
        }
    }

    /** The HTML subset Telegram and mail clients share. */
    private static final class Html extends MarkupFormatter {
        @Override
        public Markup markup() {
            return Markup.HTML;
        }

        @Override
        void appendCode(StringBuilder out, String text) {
            out.append("<code>");
            escapeText(out, text);
            out.append("</code>");
        }

        @Override
        void appendStyled(StringBuilder out, String text, boolean bold, boolean italic, Optional<URI> link) {
            if (link.isPresent()) {
                out.append("<a href=\"");
                escapeAttribute(out, link.get().toString());
                out.append("\">");
            }
            if (bold) {
                out.append("<b>");
            }
            if (italic) {
                out.append("<i>");
            }
            escapeText(out, text);
            if (italic) {
                out.append("</i>");
            }
            if (bold) {
                out.append("</b>");
            }
            if (link.isPresent()) {
                out.append("</a>");
            }
        }

        private static void escapeText(StringBuilder out, String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '&':
                        out.append("&amp;");
                        break;
                    case '<':
                        out.append("&lt;");
                        break;
                    case '>':
                        out.append("&gt;");
                        break;
                    default:
                        out.append(c);
                }
            }
        }

        private static void escapeAttribute(StringBuilder out, String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"') {
                    out.append("&quot;");
                } else {
                    escapeText(out, String.valueOf(c));
                }
            }
        }
    }

    /** Telegram MarkdownV2. */
    private static final class MarkdownV2 extends MarkupFormatter {
        private static final String RESERVED = "_*[]()~`>#+-=|{}.!\\";

        @Override
        public Markup markup() {
            return Markup.TELEGRAM_MARKDOWN_V2;
        }

        @Override
        void appendCode(StringBuilder out, String text) {
            out.append('`');
            escape(out, text, "`\\");
            out.append('`');
        }

        @Override
        void appendStyled(StringBuilder out, String text, boolean bold, boolean italic, Optional<URI> link) {
            if (link.isPresent() && !bold && !italic && text.equals(link.get().toString())) {
                // A bare URL: Telegram links it by itself, and [url](url) would double its length.
                escape(out, text, RESERVED);
                return;
            }
            if (link.isPresent()) {
                out.append('[');
            }
            if (bold) {
                out.append('*');
            }
            if (italic) {
                out.append('_');
            }
            escape(out, text, RESERVED);
            if (italic) {
                out.append('_');
            }
            if (bold) {
                out.append('*');
            }
            if (link.isPresent()) {
                out.append("](");
                escape(out, link.get().toString(), ")\\");
                out.append(')');
            }
        }

        private static void escape(StringBuilder out, String text, String reserved) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (reserved.indexOf(c) >= 0) {
                    out.append('\\');
                }
                out.append(c);
            }
        }
    }
}
