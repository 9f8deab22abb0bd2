package dev.switchboard.render;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Independent checkers that formatted text is well-formed for its platform, written from the platforms' rules rather
 * than from the formatter: every MarkdownV2 reserved character outside entity syntax is escaped and entities are
 * closed; HTML tags are balanced and no raw {@code < &} is left in text.
 */
final class FormattedSyntax {
    private static final String MDV2_RESERVED = "_*[]()~`>#+-=|{}.!";
    private static final Pattern HTML_TOKEN = Pattern.compile("<(/?)(b|i|code|a)( href=\"[^\"<>]*\")?>|&(amp|lt|gt|quot);|[<>&]");

    private FormattedSyntax() {
    }

    /** Null when {@code s} is valid MarkdownV2 as the renderer may emit it, else what is wrong. */
    static String markdownV2Problem(String s) {
        boolean bold = false;
        boolean italic = false;
        boolean code = false;
        int linkDepth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 >= s.length()) {
                    return "dangling backslash at end";
                }
                i++;
                continue;
            }
            if (code) {
                if (c == '`') {
                    code = false;
                }
                continue;
            }
            switch (c) {
                case '*':
                    bold = !bold;
                    break;
                case '_':
                    italic = !italic;
                    break;
                case '`':
                    code = true;
                    break;
                case '[':
                    linkDepth++;
                    break;
                case ']':
                    if (linkDepth == 0 || i + 1 >= s.length() || s.charAt(i + 1) != '(') {
                        return "unescaped ] at " + i;
                    }
                    linkDepth--;
                    i = skipUrl(s, i + 2);
                    if (i < 0) {
                        return "unterminated link URL";
                    }
                    break;
                default:
                    if (MDV2_RESERVED.indexOf(c) >= 0) {
                        return "unescaped '" + c + "' at " + i + " in: " + s;
                    }
            }
        }
        if (bold || italic || code || linkDepth != 0) {
            return "unclosed entity (bold=" + bold + ", italic=" + italic + ", code=" + code + ", links="
                    + linkDepth + ") in: " + s;
        }
        return null;
    }

    /** Returns the index of the closing ')' of a URL starting at {@code i}, or -1. */
    private static int skipUrl(String s, int i) {
        for (int j = i; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == ')') {
                return j;
            }
        }
        return -1;
    }

    /** Null when {@code s} is well-formed in the renderer's HTML subset, else what is wrong. */
    static String htmlProblem(String s) {
        Deque<String> open = new ArrayDeque<>();
        Matcher m = HTML_TOKEN.matcher(s);
        while (m.find()) {
            if (m.group(2) != null) {
                if (m.group(1).isEmpty()) {
                    open.push(m.group(2));
                } else if (open.isEmpty() || !open.pop().equals(m.group(2))) {
                    return "misnested </" + m.group(2) + "> in: " + s;
                }
            } else if (m.group(4) == null) {
                return "raw '" + m.group() + "' at " + m.start() + " in: " + s;
            }
        }
        return open.isEmpty() ? null : "unclosed " + open + " in: " + s;
    }
}
