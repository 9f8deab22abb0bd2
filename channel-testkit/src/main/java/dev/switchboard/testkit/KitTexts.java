package dev.switchboard.testkit;

import dev.switchboard.channel.TextLengthUnit;
import java.util.List;

/**
 * Sample texts that exercise splitting: paragraphs of sentences in English and Russian, with characters MarkdownV2
 * and HTML must escape, and emoji that take two UTF-16 units (a skin-tone modifier, a flag, a ZWJ family).
 * Deterministic, so a failure reproduces.
 */
public final class KitTexts {
    private static final List<String> SENTENCES = List.of(
            "The quick brown fox jumps over the lazy dog.",
            "Съешь же ещё этих мягких французских булок, да выпей чаю!",
            "Is this (really) the #1 deal - at 50% off?",
            "Order *42* ships on 2026-11-23 to A&B <Warehouse>.",
            "Thumbs up 👍🏽, a flag 🇷🇺 and a family 👨‍👩‍👧 count double in UTF-16…",
            "Ваш заказ № 1234 передан в доставку.",
            "Use code [SAVE_10] at checkout {today} only!",
            "Backslash \\ and backtick ` and tilde ~ and pipe | stay as typed.");

    private KitTexts() {
    }

    /**
     * Paragraphs of four to six sentences separated by blank lines, at least {@code minLength} long in {@code unit}.
     */
    public static String longText(int minLength, TextLengthUnit unit) {
        StringBuilder sb = new StringBuilder();
        int sentence = 0;
        int paragraph = 0;
        int length = 0;
        while (length < minLength) {
            if (sb.length() > 0) {
                sb.append("\n\n");
                length += 2;
            }
            int count = 4 + paragraph % 3;
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    sb.append(' ');
                    length++;
                }
                String s = SENTENCES.get(sentence % SENTENCES.size());
                sb.append(s);
                length += unit.length(s);
                sentence++;
            }
            paragraph++;
        }
        return sb.toString();
    }
}
