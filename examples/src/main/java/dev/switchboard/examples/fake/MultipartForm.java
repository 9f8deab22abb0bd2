package dev.switchboard.examples.fake;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough of RFC 7578 {@code multipart/form-data} for the fake Bot API: text fields come back as their values,
 * file fields as a short description (the fake records that a file was uploaded, not its bytes).
 */
final class MultipartForm {

    private MultipartForm() {}

    static Map<String, String> parse(String contentType, byte[] body) {
        String boundary = null;
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                boundary = p.substring("boundary=".length()).replace("\"", "");
            }
        }
        if (boundary == null || boundary.isEmpty()) {
            throw new IllegalArgumentException("multipart body without boundary");
        }
        // ISO-8859-1 maps bytes 1:1, so offsets found in the string are byte offsets.
        String raw = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        Map<String, String> fields = new LinkedHashMap<>();
        int pos = raw.indexOf(delimiter);
        while (pos >= 0) {
            int start = pos + delimiter.length();
            if (raw.startsWith("--", start)) {
                break;
            }
            int headersEnd = raw.indexOf("\r\n\r\n", start);
            int next = raw.indexOf("\r\n" + delimiter, start);
            if (headersEnd < 0 || next < 0) {
                throw new IllegalArgumentException("truncated multipart body");
            }
            String headers = raw.substring(start, headersEnd);
            String name = attribute(headers, "name");
            String fileName = attribute(headers, "filename");
            byte[] value = raw.substring(headersEnd + 4, next).getBytes(StandardCharsets.ISO_8859_1);
            if (name != null) {
                fields.put(name, fileName != null
                        ? "<file " + fileName + ", " + value.length + " bytes>"
                        : new String(value, StandardCharsets.UTF_8));
            }
            pos = next + 2;
        }
        return fields;
    }

    private static String attribute(String headers, String attr) {
        String needle = attr + "=\"";
        int i = headers.indexOf(needle);
        while (i > 0 && Character.isLetterOrDigit(headers.charAt(i - 1))) {
            i = headers.indexOf(needle, i + 1);
        }
        if (i < 0) {
            return null;
        }
        int end = headers.indexOf('"', i + needle.length());
        return end < 0 ? null : headers.substring(i + needle.length(), end);
    }
}
