package dev.switchboard.channel.email;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes RFC 2047 encoded words in header values (subjects, display names, file names) leniently, the way mail
 * clients do: encoded words inside other words, charset labels Java lacks, adjacent words split in the middle of a
 * multi-byte character, whitespace between adjacent encoded words dropped. A word that cannot be decoded stays as
 * written. Done here rather than with {@code MimeUtility.decodeText} because that one is configured by JVM-wide
 * system properties ({@code mail.mime.decodetext.strict}) a library must not change, and fails on unknown labels.
 * Every decoded value is {@linkplain #clean cleaned} of control characters: an encoded {@code =0D=0A} must never
 * reach a stored subject, a name or a header we write back.
 */
final class EncodedWords {
    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?\\s]*)\\?=");
    /** C0 and C1 controls (CR, LF, TAB, NUL, ESC, DEL...) and the Unicode line and paragraph separators. */
    private static final Pattern CONTROLS = Pattern.compile("[\\p{Cc}\\u2028\\u2029]+");

    private EncodedWords() {
    }

    /** Unfolds a raw header value (CRLF + whitespace becomes the whitespace) and decodes its encoded words. */
    static String decode(String raw) {
        if (raw == null) {
            return "";
        }
        String value = raw.replaceAll("\\r?\\n(?=[ \\t])", "");
        if (!value.contains("=?")) {
            return clean(value);
        }
        Matcher m = WORD.matcher(value);
        StringBuilder out = new StringBuilder(value.length());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        Charset pendingCharset = null;
        boolean previousWasWord = false;
        int last = 0;
        while (m.find()) {
            String between = value.substring(last, m.start());
            Charset charset = MailCharsets.lookup(m.group(1)).orElse(null);
            byte[] bytes = charset == null ? null : wordBytes(m.group(2), m.group(3));
            if (bytes == null) {
                pendingCharset = flush(out, pending, pendingCharset);
                out.append(between).append(m.group());
                previousWasWord = false;
            } else {
                if (previousWasWord && between.isBlank()) {
                    // whitespace between adjacent encoded words is not part of the text (RFC 2047 section 6.2)
                    if (!charset.equals(pendingCharset)) {
                        pendingCharset = flush(out, pending, pendingCharset);
                    }
                } else {
                    pendingCharset = flush(out, pending, pendingCharset);
                    out.append(between);
                }
                pending.writeBytes(bytes);
                pendingCharset = charset;
                previousWasWord = true;
            }
            last = m.end();
        }
        flush(out, pending, pendingCharset);
        out.append(value.substring(last));
        return clean(out.toString());
    }

    /**
     * A header value safe to store and to write into a header again: every run of control characters (CR, LF, TAB,
     * NUL, other C0/C1 controls, DEL) and Unicode line/paragraph separators becomes one space; the ends are stripped.
     */
    static String clean(String value) {
        if (value == null) {
            return "";
        }
        return CONTROLS.matcher(value).replaceAll(" ").strip();
    }

    private static Charset flush(StringBuilder out, ByteArrayOutputStream pending, Charset charset) {
        if (charset != null && pending.size() > 0) {
            out.append(new String(pending.toByteArray(), charset));
        }
        pending.reset();
        return null;
    }

    private static byte[] wordBytes(String encoding, String text) {
        try {
            if (encoding.toUpperCase(Locale.ROOT).equals("B")) {
                return Base64.getMimeDecoder().decode(text);
            }
            return quoted(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] quoted(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length()) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '=') {
                throw new IllegalArgumentException("truncated escape");
            } else {
                out.write(c & 0xff);
            }
        }
        return out.toByteArray();
    }

    /** Decodes raw header bytes read as ISO-8859-1 but actually 8-bit UTF-8 (unencoded non-ASCII headers). */
    static String repairEightBit(String value) {
        boolean high = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff) {
                return value; // already decoded text
            }
            high |= c >= 0x80;
        }
        if (!high) {
            return value;
        }
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(bytes, Charset.forName("windows-1251"));
        }
    }
}
