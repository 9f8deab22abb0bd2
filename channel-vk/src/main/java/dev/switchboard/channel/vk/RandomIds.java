package dev.switchboard.channel.vk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Derives {@code messages.send}'s {@code random_id} from an outbox row's idempotency key. VK remembers every
 * {@code random_id} a sender used and answers a repeated one with the message it already sent, so a send retried after
 * a timeout, a restart or on another node must carry the same value: it is a pure function of the community and the
 * key (SHA-256, the first 31 bits, never 0), the same on every JVM and spread evenly over the positive int32 range
 * VK accepts, so two different rows collide only by chance (about 1 in 2^31 per pair).
 */
final class RandomIds {
    private RandomIds() {
    }

    static int of(long groupId, String idempotencyKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((groupId + ":" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
            int value = ByteBuffer.wrap(digest).getInt() & Integer.MAX_VALUE;
            return value == 0 ? 1 : value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
