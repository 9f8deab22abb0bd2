package dev.switchboard.channel;

/** How a platform counts text length: UTF-16 code units (Telegram entities) or Unicode code points. */
public enum TextLengthUnit {
    UTF16_UNITS, CODE_POINTS;

    public int length(CharSequence s) {
        return this == UTF16_UNITS ? s.length() : Character.codePointCount(s, 0, s.length());
    }
}
