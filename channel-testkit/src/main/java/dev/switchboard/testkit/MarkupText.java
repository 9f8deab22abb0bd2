package dev.switchboard.testkit;

import dev.switchboard.channel.Markup;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recovers the text a customer reads from a formatted message as a platform received it (escaped MarkdownV2, HTML or
 * plain), so tests can compare what was sent with what was meant without caring how it was escaped. Only the subset
 * the standard renderer emits is understood: {@code <b> <i> <code> <a href>} and the four HTML entities it escapes;
 * MarkdownV2 bold, italic, code, links and backslash escapes.
 */
public final class MarkupText {
    private static final Pattern HTML_LINK = Pattern.compile("<a\\s+href=\"[^\"]*\">", Pattern.CASE_INSENSITIVE);
    private static final Pattern HTML_TAG = Pattern.compile("</?(b|i|code|a|strong|em)>", Pattern.CASE_INSENSITIVE);

    private MarkupText() {
    }

    /** The readable text of {@code formatted}: markup removed, escapes undone, link targets dropped. */
    public static String plain(String formatted, Markup markup) {
        switch (markup) {
            case PLAIN:
                return formatted;
            case HTML:
                return unescapeHtml(HTML_TAG.matcher(HTML_LINK.matcher(formatted).replaceAll("")).replaceAll(""));
            case TELEGRAM_MARKDOWN_V2:
                return markdownV2(formatted);
            default:
                throw new IllegalArgumentException("unknown markup " + markup);
        }
    }

    private static String unescapeHtml(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    /** Walks MarkdownV2: drops unescaped entity delimiters and link targets, keeps escaped characters literally. */
    private static String markdownV2(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        boolean inCode = false;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                out.append(s.charAt(i + 1));
                i += 2;
            } else if (c == '`') {
                inCode = !inCode;
                i++;
            } else if (inCode) {
                out.append(c);
                i++;
            } else if (c == '*' || c == '_' || c == '~' || c == '|' || c == '[') {
                i++;
            } else if (c == ']' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                i = skipLinkTarget(s, i + 2);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int skipLinkTarget(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == ')') {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }

    /** Collapses every run of whitespace to one space and trims, for comparing text that was split and re-joined. */
    public static String normalizeWhitespace(String s) {
        Matcher m = Pattern.compile("\\s+").matcher(s.strip());
        return m.replaceAll(" ");
    }
}
