package dev.switchboard.render;

import dev.switchboard.channel.TextLengthUnit;

/**
 * Where text may be cut. A cut never separates a surrogate pair, CR from LF, a base from its combining marks,
 * variation selectors, skin-tone modifiers or tag characters, the halves of a ZWJ emoji sequence, or the two regional
 * indicators of a flag. (Java 17's {@code BreakIterator} predates extended grapheme clusters for emoji, so the rules
 * that matter for messaging are spelled out here.)
 */
final class Boundaries {
    private static final int ZWJ = 0x200D;

    private Boundaries() {
    }

    /** True when cutting {@code s} before index {@code i} keeps every user-perceived character whole. */
    static boolean isGraphemeBoundary(CharSequence s, int i) {
        if (i <= 0 || i >= s.length()) {
            return true;
        }
        if (!isCodePointBoundary(s, i)) {
            return false;
        }
        if (s.charAt(i - 1) == '\r' && s.charAt(i) == '\n') {
            return false;
        }
        int next = Character.codePointAt(s, i);
        int prev = Character.codePointBefore(s, i);
        if (extendsPrevious(next) || prev == ZWJ) {
            return false;
        }
        if (isRegionalIndicator(prev) && isRegionalIndicator(next)) {
            // Flags are pairs: cut only after an even number of indicators in the run.
            int count = 0;
            int j = i;
            while (j > 0 && isRegionalIndicator(Character.codePointBefore(s, j))) {
                count++;
                j -= Character.charCount(Character.codePointBefore(s, j));
            }
            return count % 2 == 0;
        }
        return true;
    }

    /** True when {@code i} does not fall between the two halves of a surrogate pair. */
    static boolean isCodePointBoundary(CharSequence s, int i) {
        return i <= 0 || i >= s.length()
                || !(Character.isLowSurrogate(s.charAt(i)) && Character.isHighSurrogate(s.charAt(i - 1)));
    }

    private static boolean extendsPrevious(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || cp == ZWJ
                || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF)
                || (cp >= 0x1F3FB && cp <= 0x1F3FF)
                || (cp >= 0xE0020 && cp <= 0xE007F);
    }

    private static boolean isRegionalIndicator(int cp) {
        return cp >= 0x1F1E6 && cp <= 0x1F1FF;
    }

    /** The largest grapheme boundary in {@code (from, to]}, or {@code from} when there is none. */
    static int lastGraphemeBoundary(CharSequence s, int from, int to) {
        for (int i = to; i > from; i--) {
            if (isGraphemeBoundary(s, i)) {
                return i;
            }
        }
        return from;
    }

    /** The largest code point boundary in {@code (from, to]}, or {@code from} when there is none. */
    static int lastCodePointBoundary(CharSequence s, int from, int to) {
        for (int i = to; i > from; i--) {
            if (isCodePointBoundary(s, i)) {
                return i;
            }
        }
        return from;
    }

    /** The end of the longest run of {@code s} from {@code start} that is at most {@code max} long in {@code unit}. */
    static int endWithin(CharSequence s, int start, int max, TextLengthUnit unit) {
        if (unit == TextLengthUnit.UTF16_UNITS) {
            int end = (int) Math.min(s.length(), (long) start + max);
            return isCodePointBoundary(s, end) ? end : end - 1;
        }
        int i = start;
        int count = 0;
        while (i < s.length() && count < max) {
            i += Character.charCount(Character.codePointAt(s, i));
            count++;
        }
        return i;
    }

    /** Truncates {@code text} to at most {@code max} units, ending with an ellipsis when it had to cut. */
    static String truncate(String text, int max, TextLengthUnit unit) {
        if (unit.length(text) <= max) {
            return text;
        }
        if (max <= 1) {
            return "…".substring(0, Math.max(0, max));
        }
        int end = endWithin(text, 0, max - 1, unit);
        int cut = lastGraphemeBoundary(text, 0, end);
        if (cut == 0) {
            cut = lastCodePointBoundary(text, 0, end);
        }
        return text.substring(0, cut).stripTrailing() + "…";
    }
}
