package dev.switchboard.channel.webchat;

import java.util.Objects;
import java.util.Optional;

/**
 * One sequenced event in a visitor's conversation, as stored by the {@link WebchatLog} and sent to the widget: the
 * visitor's own message (its acknowledgement), an agent's message, a read receipt, a transcript confirmation, an
 * error about a message. {@code json} is the exact frame the widget receives and already contains {@code seq}.
 *
 * @param key the dedupe key this event was stored under (the visitor's client message id, an outbound idempotency
 *            key), when it has one
 */
public record WebchatEvent(String sessionId, long seq, String type, Optional<String> key, String json) {
    public WebchatEvent {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(json, "json");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, got " + seq);
        }
    }

    /** Whether this event belongs in the visible conversation history (messages, not acks or errors). */
    public boolean isHistory() {
        return type.equals("message") || type.equals("read");
    }
}
