package dev.switchboard.channel.telegram;

import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.StateRecord;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fits postback payloads into Telegram's {@code callback_data}, which is limited to 1-64 <em>bytes</em>. Payloads that
 * fit are sent as they are; longer ones are sent as {@code #} followed by a 22-character hash, written to the
 * channel's {@link ChannelState} (kept {@value #TTL_DAYS} days after the last send of that payload) and mapped back
 * when the button is pressed, on whichever node receives the press and after any restart. A small LRU of recent
 * payloads saves a read for presses of buttons sent by this node. Payloads that start with {@code #} are always
 * hashed so a real payload is never mistaken for a hash. A hash no state knows (expired, or sent through a channel
 * without durable state before a restart) arrives as the hash itself.
 */
final class CallbackData {
    static final int MAX_BYTES = 64;
    static final int CAPACITY = 10_000;
    static final int TTL_DAYS = 90;
    static final Duration TTL = Duration.ofDays(TTL_DAYS);
    private static final char HASH_MARK = '#';
    private static final String KEY_PREFIX = "telegram.callback:";
    private static final long TIMEOUT_SECONDS = 30;

    private static final Logger log = LoggerFactory.getLogger(CallbackData.class);

    private volatile ChannelState state;

    private final Map<String, String> payloadByHash = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };

    CallbackData(ChannelState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    void useState(ChannelState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    /**
     * The callback_data to send for {@code payload}; a long payload is stored durably first.
     *
     * @throws BotApiError (retryable) when the state could not store it: the message must not go out with a button
     *     nobody could map back
     */
    String encode(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= 1 && bytes.length <= MAX_BYTES && payload.charAt(0) != HASH_MARK) {
            return payload;
        }
        String key = HASH_MARK + hash(bytes);
        try {
            state.put(KEY_PREFIX + key, payload, Optional.of(TTL)).toCompletableFuture()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stateUnavailable(e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw stateUnavailable(e);
        }
        synchronized (payloadByHash) {
            payloadByHash.put(key, payload);
        }
        return key;
    }

    /** The payload a pressed button's callback_data stands for. */
    String decode(String callbackData) {
        if (callbackData.isEmpty() || callbackData.charAt(0) != HASH_MARK) {
            return callbackData;
        }
        synchronized (payloadByHash) {
            String cached = payloadByHash.get(callbackData);
            if (cached != null) {
                return cached;
            }
        }
        try {
            return state.get(KEY_PREFIX + callbackData).toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .map(StateRecord::value).orElse(callbackData);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return callbackData;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // The press still reaches the inbox (with the hash as its payload) rather than stalling the updates
            // behind it; the warning says why its payload is unknown.
            log.warn("Could not read the payload of button {} from the channel state: {}", callbackData, e.toString());
            return callbackData;
        }
    }

    private static BotApiError stateUnavailable(Exception e) {
        return BotApiError.network("storeButtonPayload", "the channel state could not store a button payload: "
                + e.getClass().getSimpleName(), null);
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
