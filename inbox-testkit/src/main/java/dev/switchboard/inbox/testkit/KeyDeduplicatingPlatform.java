package dev.switchboard.inbox.testkit;

import dev.switchboard.channel.OutboundMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A {@link FakeChannel#sendPolicy} for a platform that deduplicates sends by a value derived from the idempotency
 * key (VK's {@code random_id}) and answers a repeated value with the message it already sent. The first keys of all
 * rows map to the same value (a forced collision); derived keys ({@code key~N}) map to their own values unless
 * {@code everyKeyCollides}. It counts what each recipient really received.
 */
final class KeyDeduplicatingPlatform implements Function<OutboundMessage, FakeChannel.Outcome> {
    private final boolean everyKeyCollides;
    private final Map<String, String> idByValue = new HashMap<>();
    private final Map<String, List<String>> received = new HashMap<>();
    private int next;

    KeyDeduplicatingPlatform(boolean everyKeyCollides) {
        this.everyKeyCollides = everyKeyCollides;
    }

    @Override
    public synchronized FakeChannel.Outcome apply(OutboundMessage m) {
        String value = everyKeyCollides || !m.idempotencyKey().contains("~") ? "same" : m.idempotencyKey();
        String id = idByValue.get(value);
        if (id == null) {
            id = "vk-" + (++next);
            idByValue.put(value, id);
            received.computeIfAbsent(m.recipient().platformUserId(), r -> new ArrayList<>()).add(m.bubble().plain());
        }
        return new FakeChannel.Succeed(Optional.of(id));
    }

    /** What each recipient received, by platform user id, in order. */
    synchronized Map<String, List<String>> received() {
        Map<String, List<String>> copy = new HashMap<>();
        received.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Map.copyOf(copy);
    }
}
