package dev.switchboard.inbox;

import dev.switchboard.model.ConversationId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A short stable token for a conversation, planted in outbound threaded messages (an email subject tag) and matched
 * against {@code ThreadHints.conversationToken()} of replies. Derived from the id, so nothing extra is stored; only a
 * customer's own conversations are searched, so 40 bits are plenty.
 */
final class ConversationToken {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private ConversationToken() {}

    static String of(ConversationId id) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(id.value().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
        long bits = 0;
        for (int i = 0; i < 5; i++) {
            bits = (bits << 8) | (digest[i] & 0xFF);
        }
        char[] out = new char[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(out);
    }

    static boolean matches(String token, ConversationId id) {
        return of(id).equalsIgnoreCase(token.strip());
    }
}
