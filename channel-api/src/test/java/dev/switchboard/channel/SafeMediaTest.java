package dev.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The type of an outside file comes from its bytes, and its response can never run as a page. */
class SafeMediaTest {
    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length + 8];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void allowListedTypesAreRecognisedByTheirMagicBytes() {
        assertThat(SafeMedia.detect(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)))
                .isEqualTo(new SafeMedia.Detected("image/png", true));
        assertThat(SafeMedia.detect(bytes(0xFF, 0xD8, 0xFF, 0xE0), "x.txt").mimeType())
                .isEqualTo("image/jpeg");
        assertThat(SafeMedia.detect("GIF89a....".getBytes(StandardCharsets.US_ASCII)).mimeType())
                .isEqualTo("image/gif");
        assertThat(SafeMedia.detect("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new SafeMedia.Detected("image/webp", true));
        assertThat(SafeMedia.detect("%PDF-1.7".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new SafeMedia.Detected("application/pdf", false));
        assertThat(SafeMedia.detect(bytes('P', 'K', 3, 4), "Счёт.DOCX").mimeType())
                .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assertThat(SafeMedia.detect(bytes('P', 'K', 3, 4), "app.jar").mimeType())
                .as("a ZIP that is not a known document").isEqualTo("application/octet-stream");
    }

    @Test
    void pagesScriptsAndUnknownBytesAreOpaqueWhateverTheirName() {
        for (String page : new String[] {"<html><script>alert(1)</script>", "<svg onload=alert(1)>",
                "<?xml version=\"1.0\"?><svg/>", "alert(document.cookie)", ""}) {
            assertThat(SafeMedia.detect(page.getBytes(StandardCharsets.UTF_8), "photo.png"))
                    .isEqualTo(new SafeMedia.Detected("application/octet-stream", false));
        }
    }

    @Test
    void everyResponseIsSandboxedNosniffAndNamedSafely() {
        WebhookResponse r = SafeMedia.response("<script>x</script>".getBytes(StandardCharsets.UTF_8),
                "../../Счёт \"1\";\r\nX-Evil: 1.html");
        assertThat(r.headers().get("Content-Type")).containsExactly("application/octet-stream");
        assertThat(r.headers().get("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(r.headers().get("Content-Security-Policy")).containsExactly("default-src 'none'; sandbox");
        String disposition = r.headers().get("Content-Disposition").get(0);
        assertThat(disposition).startsWith("attachment; filename=\"").doesNotContain("\r", "\n", "../")
                .contains("filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82");
        assertThat(SafeMedia.cleanName("C:\\Users\\a\\..\\b.txt")).isEqualTo("b.txt");
    }
}
