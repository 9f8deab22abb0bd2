package dev.switchboard.channel.email;

import java.util.Set;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * Renders an HTML mail body as the text a person would read: paragraphs and line breaks kept, list items as
 * {@code - item} or {@code 1. item}, links as {@code text (url)} when the url adds something, scripts, styles and
 * hidden preheaders dropped, runs of blank lines collapsed.
 */
final class HtmlText {
    private static final Set<String> BLOCKS = Set.of("p", "div", "section", "article", "header", "footer", "table",
            "tr", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "address", "center",
            "dl", "dt", "dd", "form", "fieldset", "main", "nav", "aside", "figure", "figcaption");
    private static final Set<String> SKIP = Set.of("script", "style", "head", "title", "noscript", "template",
            "svg", "object", "iframe", "meta", "link");

    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("[\\s\\u00a0]+");
    private static final java.util.regex.Pattern TRAILING = java.util.regex.Pattern.compile("[ \\t]+\\n");
    private static final java.util.regex.Pattern BLANK_RUNS = java.util.regex.Pattern.compile("\\n{3,}");

    private HtmlText() {
    }

    static String toText(Document document) {
        StringBuilder out = new StringBuilder();
        Element body = document.body() == null ? document : document.body();
        render(body, out, false);
        return tidy(out.toString());
    }

    private static void render(Node node, StringBuilder out, boolean pre) {
        for (Node child : node.childNodes()) {
            if (child instanceof TextNode text) {
                String s = pre ? text.getWholeText() : SPACES.matcher(text.getWholeText()).replaceAll(" ");
                if (!pre && (out.length() == 0 || out.charAt(out.length() - 1) == '\n')) {
                    s = s.stripLeading();
                }
                out.append(s);
            } else if (child instanceof Element el) {
                renderElement(el, out, pre);
            }
        }
    }

    private static void renderElement(Element el, StringBuilder out, boolean pre) {
        String tag = el.normalName();
        if (SKIP.contains(tag) || isHidden(el)) {
            return;
        }
        switch (tag) {
            case "br":
                out.append('\n');
                return;
            case "img":
                String alt = el.attr("alt").strip();
                if (!alt.isEmpty()) {
                    out.append('[').append(alt).append(']');
                }
                return;
            case "li":
                newLine(out);
                Element parent = el.parent();
                if (parent != null && parent.normalName().equals("ol")) {
                    out.append(el.elementSiblingIndex() + 1).append(". ");
                } else {
                    out.append("- ");
                }
                render(el, out, pre);
                newLine(out);
                return;
            case "a":
                int start = out.length();
                render(el, out, pre);
                String href = el.attr("href").strip();
                String label = out.substring(start).strip();
                if (!href.isEmpty() && !href.startsWith("#") && !href.startsWith("cid:") && !label.isEmpty()
                        && !sameTarget(label, href)) {
                    out.append(" (").append(href).append(')');
                } else if (label.isEmpty() && !href.isEmpty() && !href.startsWith("#")) {
                    out.append(href);
                }
                return;
            case "td":
            case "th":
                render(el, out, pre);
                if (el.nextElementSibling() != null) {
                    out.append(' ');
                }
                return;
            default:
                break;
        }
        boolean block = BLOCKS.contains(tag);
        if (block && (tag.equals("div") || tag.equals("p")) && el.children().isEmpty()
                && el.wholeText().replace('\u00a0', ' ').isBlank()) {
            // <div>&nbsp;</div> is how Yandex, Mail.ru and Outlook write an empty line
            newLine(out);
            out.append('\n');
            return;
        }
        if (block) {
            paragraphBreak(out, tag);
        }
        render(el, out, pre || tag.equals("pre"));
        if (block) {
            paragraphBreak(out, tag);
        }
    }

    private static boolean sameTarget(String label, String href) {
        String h = href.replaceFirst("^(mailto:|https?://)", "").replaceAll("/$", "");
        String l = label.replaceFirst("^(mailto:|https?://)", "").replaceAll("/$", "");
        return h.equalsIgnoreCase(l);
    }

    private static boolean isHidden(Element el) {
        String style = el.attr("style").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        return style.contains("display:none") || el.hasAttr("hidden");
    }

    private static void newLine(StringBuilder out) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
    }

    private static void paragraphBreak(StringBuilder out, String tag) {
        newLine(out);
        if (tag.equals("p") || tag.startsWith("h") || tag.equals("blockquote") || tag.equals("table")) {
            if (out.length() > 0 && !(out.length() >= 2 && out.charAt(out.length() - 2) == '\n')) {
                out.append('\n');
            }
        }
    }

    /** Trims trailing spaces on each line and collapses three or more line breaks into one blank line. */
    static String tidy(String text) {
        String s = text.replace("\r\n", "\n").replace('\r', '\n').replace('\u00a0', ' ');
        s = TRAILING.matcher(s).replaceAll("\n");
        s = BLANK_RUNS.matcher(s).replaceAll("\n\n");
        return s.strip();
    }
}
