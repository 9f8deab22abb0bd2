package dev.switchboard.channel.telegram.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Telegram's strict HTML parse mode and text limits, as the Bot API applies them before accepting a message. */
final class TelegramHtml {
    private static final Set<String> TAGS = Set.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del",
            "code", "pre", "a", "tg-spoiler", "span", "blockquote", "tg-emoji");
    private static final Pattern ENTITY = Pattern.compile("&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);");

    private TelegramHtml() {
    }

    /** The Bot API's answer to this text, or empty when it is accepted: entities must parse, the text must fit. */
    static Optional<String> check(String text, String parseMode, int limit) {
        String plain = text;
        if (parseMode.equals("HTML")) {
            try {
                plain = toPlain(text);
            } catch (IllegalArgumentException e) {
                return Optional.of("Bad Request: can't parse entities: " + e.getMessage());
            }
        }
        if (plain.isEmpty() && limit == 4096) {
            return Optional.of("Bad Request: message text is empty");
        }
        if (plain.length() > limit) {
            return Optional.of("Bad Request: message is too long");
        }
        return Optional.empty();
    }

    /** Parses Telegram HTML strictly: only known tags, only known entities, no bare {@code < > &}. */
    static String toPlain(String s) {
        StringBuilder out = new StringBuilder();
        Deque<String> open = new ArrayDeque<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '<') {
                int end = s.indexOf('>', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed start tag at byte offset " + i);
                }
                String tag = s.substring(i + 1, end);
                boolean closing = tag.startsWith("/");
                String name = (closing ? tag.substring(1) : tag).split("[\\s=]", 2)[0].toLowerCase();
                if (!TAGS.contains(name)) {
                    throw new IllegalArgumentException("Unsupported start tag \"" + name + "\" at byte offset " + i);
                }
                if (closing) {
                    if (open.isEmpty() || !open.pop().equals(name)) {
                        throw new IllegalArgumentException("Unmatched end tag at byte offset " + i);
                    }
                } else {
                    open.push(name);
                }
                i = end + 1;
            } else if (c == '&') {
                Matcher m = ENTITY.matcher(s);
                if (!m.find(i) || m.start() != i) {
                    throw new IllegalArgumentException("Character entity expected at byte offset " + i);
                }
                String e = m.group(1);
                switch (e) {
                    case "lt" -> out.append('<');
                    case "gt" -> out.append('>');
                    case "amp" -> out.append('&');
                    case "quot" -> out.append('"');
                    default -> out.appendCodePoint(e.startsWith("#x") ? Integer.parseInt(e.substring(2), 16)
                            : Integer.parseInt(e.substring(1)));
                }
                i = m.end();
            } else if (c == '>') {
                throw new IllegalArgumentException("Unexpected '>' at byte offset " + i);
            } else {
                out.append(c);
                i++;
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("Can't find end tag corresponding to start tag \"" + open.peek()
                    + "\"");
        }
        return out.toString();
    }
}
