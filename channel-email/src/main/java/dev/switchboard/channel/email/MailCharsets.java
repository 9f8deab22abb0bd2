package dev.switchboard.channel.email;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the charset labels real mail carries into Java charsets. Russian mail in particular uses labels Java does
 * not know ({@code win-1251}, {@code cp-1251}, {@code x-cp1251}, {@code koi8r}, plain {@code 1251}); they are
 * normalised before lookup so such a body decodes instead of failing. A part without a charset is US-ASCII (RFC
 * 2045); an unknown label falls back to UTF-8 with replacement characters, never to an exception.
 */
final class MailCharsets {
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("win-1251", "windows-1251"), Map.entry("win1251", "windows-1251"),
            Map.entry("cp-1251", "windows-1251"), Map.entry("cp1251", "windows-1251"),
            Map.entry("x-cp1251", "windows-1251"), Map.entry("x-cp-1251", "windows-1251"),
            Map.entry("1251", "windows-1251"), Map.entry("windows1251", "windows-1251"),
            Map.entry("x-win-1251", "windows-1251"), Map.entry("ms-cyrl", "windows-1251"),
            Map.entry("koi8r", "KOI8-R"), Map.entry("koi8", "KOI8-R"), Map.entry("koi-8-r", "KOI8-R"),
            Map.entry("koi8_r", "KOI8-R"), Map.entry("x-koi8-r", "KOI8-R"), Map.entry("koi8u", "KOI8-U"),
            Map.entry("koi8_u", "KOI8-U"), Map.entry("utf8", "UTF-8"), Map.entry("unicode-1-1-utf-8", "UTF-8"),
            Map.entry("x-unicode20utf8", "UTF-8"), Map.entry("latin1", "ISO-8859-1"),
            Map.entry("cp-866", "IBM866"), Map.entry("cp866", "IBM866"), Map.entry("866", "IBM866"),
            Map.entry("ansi_x3.4-1968", "US-ASCII"), Map.entry("ascii", "US-ASCII"));

    private MailCharsets() {
    }

    /** The charset for {@code label}, if the label (after normalisation) names one Java has. */
    static Optional<Charset> lookup(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String clean = label.trim().replace("\"", "").replace("'", "");
        int star = clean.indexOf('*'); // RFC 2231 language suffix in encoded words: charset*lang
        if (star >= 0) {
            clean = clean.substring(0, star);
        }
        if (clean.isEmpty()) {
            return Optional.empty();
        }
        String name = ALIASES.getOrDefault(clean.toLowerCase(Locale.ROOT), clean);
        try {
            return Charset.isSupported(name) ? Optional.of(Charset.forName(name)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The charset to decode a text part with: its label when known, US-ASCII when absent, else UTF-8. */
    static Charset forPart(String label) {
        if (label == null || label.isBlank()) {
            return StandardCharsets.US_ASCII;
        }
        return lookup(label).orElse(StandardCharsets.UTF_8);
    }

    /**
     * Decodes {@code bytes} declared as {@code charset}. A part that declares US-ASCII (or nothing) but carries 8-bit
     * bytes is common in the wild; UTF-8 is tried for those before giving up to replacement characters.
     */
    static String decode(byte[] bytes, Charset charset) {
        if (charset.equals(StandardCharsets.US_ASCII) && !isAscii(bytes)) {
            Optional<String> utf8 = strictUtf8(bytes);
            if (utf8.isPresent()) {
                return utf8.get();
            }
            return new String(bytes, Charset.forName("windows-1251"));
        }
        return new String(bytes, charset);
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> strictUtf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
