package dev.switchboard.channel.viber;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Viber-Content-Signature}: the lower-case hex HMAC-SHA256 of the callback's raw body bytes (never a
 * re-serialised JSON), keyed with the bot's auth token. The comparison is constant-time over the 32 digest bytes
 * (hex digits against nibbles, no decoded copy); a header that is missing, of the wrong length or not hex fails. One
 * {@link Mac} per thread, initialised once, so a check costs one HMAC and no key setup. Thread-safe.
 */
final class ViberSignature {
    private static final String ALGORITHM = "HmacSHA256";

    private final ThreadLocal<Mac> macs;

    ViberSignature(String authToken) {
        SecretKeySpec key = new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
            }
        });
    }

    /** The signature Viber would send for {@code body}: lower-case hex. */
    String sign(byte[] body) {
        return HexFormat.of().formatHex(macs.get().doFinal(body));
    }

    /**
     * Whether {@code presented} (the header's value) is the signature of {@code body}. Compares the 64 hex digits
     * with the digest's nibbles directly (no decoded copy), in time independent of where they differ; upper-case
     * digits are accepted.
     */
    boolean verify(byte[] body, String presented) {
        if (presented == null) {
            return false;
        }
        String hex = presented.strip();
        if (hex.length() != 64) {
            return false;
        }
        byte[] digest = macs.get().doFinal(body);
        int difference = 0;
        for (int i = 0; i < 32; i++) {
            int high = nibble(hex.charAt(2 * i));
            int low = nibble(hex.charAt(2 * i + 1));
            // a non-hex digit gives -1, which never matches a nibble (0..15)
            difference |= (high ^ ((digest[i] >> 4) & 0xf)) | (low ^ (digest[i] & 0xf));
        }
        return difference == 0;
    }

    /** The value of one hex digit, -1 when it is none. */
    private static int nibble(char c) {
        int digit = c - '0';
        int lower = (c | 0x20) - 'a' + 10;
        boolean isDigit = digit >= 0 && digit <= 9;
        boolean isLetter = lower >= 10 && lower <= 15;
        return isDigit ? digit : isLetter ? lower : -1;
    }
}
