package dev.switchboard.channel.webchat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over UTF-8 text with a fixed key, with constant-time verification. Used for the visitor tokens the
 * server issues and for the host-signed {@code user_hash} ({@code hex(HMAC-SHA256(secret, user_id))}, the scheme
 * Chatwoot and Intercom use), which a Java host backend can compute with {@link #userHash(byte[], String)}.
 * {@code toString()} never shows the key.
 */
public final class HmacSigner {
    private final SecretKeySpec key;

    public HmacSigner(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("an HMAC secret must have at least 16 bytes, got " + secret.length);
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** {@code hex(HMAC-SHA256(secret, userId))}: what the host backend puts in the widget config as {@code user.hash}. */
    public static String userHash(byte[] secret, String userId) {
        return HexFormat.of().formatHex(new HmacSigner(secret).sign(userId));
    }

    public byte[] sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether {@code hexSignature} is the HMAC of {@code text}, compared in constant time. */
    public boolean verifyHex(String text, String hexSignature) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hexSignature.trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sign(text), given);
    }

    /** Whether {@code signature} is the HMAC of {@code text}, compared in constant time. */
    public boolean verify(String text, byte[] signature) {
        return MessageDigest.isEqual(sign(text), signature);
    }

    @Override
    public String toString() {
        return "HmacSigner[HmacSHA256, key hidden]";
    }
}
