package dev.switchboard.channel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Serves files that came from outside (a visitor's upload, a photo fetched from a messenger) so that they can never
 * run as a page on the server's origin. The type is decided here from the bytes (magic numbers), never taken from the
 * sender's {@code Content-Type} or file name: only an allow-list of raster images and common documents keeps its
 * type, and only the images are shown inline; anything else (HTML, SVG, scripts, unknown bytes) is
 * {@code application/octet-stream} with {@code Content-Disposition: attachment}. Every response carries
 * {@code X-Content-Type-Options: nosniff} and {@code Content-Security-Policy: default-src 'none'; sandbox}, so even
 * a browser that renders it has no script, no plugin and no same-origin access. Stateless and thread-safe.
 */
public final class SafeMedia {
    /** The CSP every file response carries: nothing loads, and the document is sandboxed (no scripts, own origin). */
    public static final String FILE_CSP = "default-src 'none'; sandbox";

    private SafeMedia() {
    }

    /**
     * What the bytes are, as far as this server is concerned.
     *
     * @param mimeType the type to serve ({@code application/octet-stream} when not on the allow-list)
     * @param inline whether a browser may show it in place (raster images only)
     */
    public record Detected(String mimeType, boolean inline) {
        public Detected {
            Objects.requireNonNull(mimeType, "mimeType");
        }

        /** Whether the type is one of the allow-listed raster images. */
        public boolean isImage() {
            return mimeType.startsWith("image/");
        }
    }

    private static final Detected OPAQUE = new Detected("application/octet-stream", false);

    /**
     * Decides the type of {@code bytes} by their content; {@code fileName} only tells apart the documents that share
     * a container (a ZIP is a .docx, .xlsx, .pptx or .odt; an OLE file a .doc, .xls or .ppt).
     */
    public static Detected detect(byte[] bytes, String fileName) {
        return detect(bytes, Optional.of(Objects.requireNonNull(fileName, "fileName")));
    }

    /** Decides the type of {@code bytes} by their content alone (documents in a ZIP or OLE container stay opaque). */
    public static Detected detect(byte[] bytes) {
        return detect(bytes, Optional.empty());
    }

    /**
     * {@link #detect(byte[], String)} with an optional name.
     *
     * @deprecated use {@link #detect(byte[], String)} or {@link #detect(byte[])}
     */
    @Deprecated(since = "0.9", forRemoval = true)
    public static Detected detect(byte[] bytes, Optional<String> fileName) {
        Objects.requireNonNull(bytes, "bytes");
        String ext = fileName.map(SafeMedia::extension).orElse("");
        if (startsWith(bytes, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return new Detected("image/png", true);
        }
        if (startsWith(bytes, 0xFF, 0xD8, 0xFF)) {
            return new Detected("image/jpeg", true);
        }
        if (startsWith(bytes, 'G', 'I', 'F', '8', '7', 'a') || startsWith(bytes, 'G', 'I', 'F', '8', '9', 'a')) {
            return new Detected("image/gif", true);
        }
        if (bytes.length >= 12 && startsWith(bytes, 'R', 'I', 'F', 'F') && bytes[8] == 'W' && bytes[9] == 'E'
                && bytes[10] == 'B' && bytes[11] == 'P') {
            return new Detected("image/webp", true);
        }
        if (startsWith(bytes, '%', 'P', 'D', 'F', '-')) {
            return new Detected("application/pdf", false);
        }
        if (startsWith(bytes, 'P', 'K', 3, 4)) {
            String type = switch (ext) {
                case "docx" -> "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
                case "xlsx" -> "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                case "pptx" -> "application/vnd.openxmlformats-officedocument.presentationml.presentation";
                case "odt" -> "application/vnd.oasis.opendocument.text";
                case "ods" -> "application/vnd.oasis.opendocument.spreadsheet";
                case "zip" -> "application/zip";
                default -> null;
            };
            return type == null ? OPAQUE : new Detected(type, false);
        }
        if (startsWith(bytes, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            String type = switch (ext) {
                case "doc" -> "application/msword";
                case "xls" -> "application/vnd.ms-excel";
                case "ppt" -> "application/vnd.ms-powerpoint";
                default -> null;
            };
            return type == null ? OPAQUE : new Detected(type, false);
        }
        return OPAQUE;
    }

    /**
     * The response for a file: its detected type, {@code inline} only for allow-listed images (else
     * {@code attachment}), {@code nosniff}, the sandboxing CSP, a private cache and the name in RFC 6266 form.
     */
    public static WebhookResponse response(byte[] bytes, String fileName) {
        return response(bytes, Optional.of(Objects.requireNonNull(fileName, "fileName")));
    }

    /** {@link #response(byte[], String)} for a file without a name (sent as "file"). */
    public static WebhookResponse response(byte[] bytes) {
        return response(bytes, Optional.empty());
    }

    /**
     * {@link #response(byte[], String)} with an optional name.
     *
     * @deprecated use {@link #response(byte[], String)} or {@link #response(byte[])}
     */
    @Deprecated(since = "0.9", forRemoval = true)
    public static WebhookResponse response(byte[] bytes, Optional<String> fileName) {
        Detected d = detect(bytes, fileName);
        return new WebhookResponse(200, headers(d, fileName), bytes);
    }

    /** The headers {@link #response} sends for a file of type {@code detected} named {@code fileName}. */
    public static Map<String, List<String>> headers(Detected detected, String fileName) {
        return headers(detected, Optional.of(Objects.requireNonNull(fileName, "fileName")));
    }

    /** The headers {@link #response} sends for a file of type {@code detected} without a name. */
    public static Map<String, List<String>> headers(Detected detected) {
        return headers(detected, Optional.empty());
    }

    /**
     * {@link #headers(Detected, String)} with an optional name.
     *
     * @deprecated use {@link #headers(Detected, String)} or {@link #headers(Detected)}
     */
    @Deprecated(since = "0.9", forRemoval = true)
    public static Map<String, List<String>> headers(Detected detected, Optional<String> fileName) {
        String name = fileName.map(SafeMedia::cleanName).filter(n -> !n.isEmpty()).orElse("file");
        return Map.of(
                "Content-Type", List.of(detected.mimeType()),
                "Content-Disposition", List.of(contentDisposition(detected.inline() ? "inline" : "attachment", name)),
                "X-Content-Type-Options", List.of("nosniff"),
                "Content-Security-Policy", List.of(FILE_CSP),
                "Cache-Control", List.of("private, max-age=300"),
                "Referrer-Policy", List.of("no-referrer"));
    }

    /** {@code type; filename="ascii fallback"; filename*=UTF-8''percent-encoded} (RFC 6266 / RFC 8187). */
    static String contentDisposition(String type, String name) {
        StringBuilder ascii = new StringBuilder();
        for (char c : name.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != ';' ? c : '_');
        }
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean attrChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0;
            if (attrChar) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    /** A file name without paths, quotes or control characters, at most 120 characters (keeping the extension). */
    public static String cleanName(String name) {
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String cleaned = base.replaceAll("[\"\\p{Cntrl}\\u2028\\u2029]", "_").strip();
        return cleaned.length() > 120 ? cleaned.substring(cleaned.length() - 120) : cleaned;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT).strip();
    }

    private static boolean startsWith(byte[] bytes, int... magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
