package dev.switchboard.channel.viber;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Viber-Content-Signature}: the lower-case hex HMAC-SHA256 of the callback's raw body bytes (never a
 * re-serialised JSON), keyed with the bot's auth token. The comparison is constant-time over the 32 digest bytes; a
 * header that is missing, of the wrong length or not hex fails. One {@link Mac} per thread, initialised once, so a
 * check costs one HMAC and no key setup. Thread-safe.
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

    /** Whether {@code presented} (the header's value) is the signature of {@code body}. */
    boolean verify(byte[] body, String presented) {
        if (presented == null || presented.length() != 64) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(presented.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(macs.get().doFinal(body), given);
    }
}
