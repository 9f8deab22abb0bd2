package dev.switchboard.render;

import java.util.Map;
import java.util.Optional;

/**
 * Remembers how choices were degraded to a numbered list, so a customer's reply "2" (or "2.", " 2 ") can be mapped
 * back to the second choice's postback payload. Empty when nothing was degraded.
 */
public record ChoiceMap(Map<String, String> payloadByNumber) {
    public static final ChoiceMap EMPTY = new ChoiceMap(Map.of());

    public ChoiceMap {
        payloadByNumber = Map.copyOf(payloadByNumber);
    }

    public boolean isEmpty() {
        return payloadByNumber.isEmpty();
    }

    /** The postback payload a reply selects, if the reply is just one of the offered numbers. */
    public Optional<String> resolve(String reply) {
        String s = reply.strip();
        while (!s.isEmpty() && (s.endsWith(".") || s.endsWith(")"))) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return Optional.ofNullable(payloadByNumber.get(s));
    }
}
