package dev.switchboard.render;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The result of rendering one {@code Content} for one channel: the bubbles to send in order, and the map from
 * numbered replies back to postbacks when choices had to be degraded.
 */
public record RenderedMessage(List<Bubble> bubbles, ChoiceMap choiceMap) {
    public RenderedMessage {
        bubbles = List.copyOf(bubbles);
        Objects.requireNonNull(choiceMap, "choiceMap");
    }

    /** All bubbles' plain text, joined: what the customer will read. */
    public String plainText() {
        return bubbles.stream().map(Bubble::plain).filter(s -> !s.isEmpty()).collect(Collectors.joining("\n"));
    }
}
