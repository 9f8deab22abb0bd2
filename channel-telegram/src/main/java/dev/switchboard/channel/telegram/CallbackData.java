package dev.switchboard.channel.telegram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fits postback payloads into Telegram's {@code callback_data}, which is limited to 1-64 <em>bytes</em>. Payloads that
 * fit are sent as they are; longer ones are sent as {@code #} followed by a 22-character hash, remembered here (an
 * LRU of the most recent {@value #CAPACITY}) and mapped back when the button is pressed. Payloads that start with
 * {@code #} are always hashed so a real payload is never mistaken for a hash. The map lives in memory: a press on a
 * long-payload button sent before a restart arrives with the hash itself as the payload (documented limitation).
 */
final class CallbackData {
    static final int MAX_BYTES = 64;
    static final int CAPACITY = 10_000;
    private static final char HASH_MARK = '#';

    private final Map<String, String> payloadByHash = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The callback_data to send for {@code payload}. */
    synchronized String encode(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= 1 && bytes.length <= MAX_BYTES && payload.charAt(0) != HASH_MARK) {
            return payload;
        }
        String key = HASH_MARK + hash(bytes);
        payloadByHash.put(key, payload);
        return key;
    }

    /** The payload a pressed button's callback_data stands for. */
    synchronized String decode(String callbackData) {
        if (!callbackData.isEmpty() && callbackData.charAt(0) == HASH_MARK) {
            return Optional.ofNullable(payloadByHash.get(callbackData)).orElse(callbackData);
        }
        return callbackData;
    }

    private static String hash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
