package dev.switchboard.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A carousel of 1-{@value #MAX_CARDS} {@link Card}s (products, time slots, articles), with an optional prompt shown
 * with it. Channels with native cards (VK carousels, the website chat) show them side by side; others get each card
 * as an image, a bold title, a description and its buttons as choices, numbered where the channel has no buttons so
 * a reply "2" maps back to the postback (see {@code docs/rendering.md}). Immutable; build with {@link #builder()}.
 */
public record Cards(Optional<Text> prompt, List<Card> cards) implements Part {
    /** The most cards one carousel may hold (VK's limit). */
    public static final int MAX_CARDS = 10;

    public Cards {
        Objects.requireNonNull(prompt, "prompt");
        cards = List.copyOf(cards);
        if (cards.isEmpty() || cards.size() > MAX_CARDS) {
            throw new IllegalArgumentException("cards must hold 1-" + MAX_CARDS + " cards, got " + cards.size());
        }
    }

    /** A carousel without a prompt. */
    public static Cards of(Card... cards) {
        return new Cards(Optional.empty(), List.of(cards));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String plainText() {
        String text = cards.stream().map(Card::plainText).collect(Collectors.joining("\n"));
        return prompt.map(p -> p.plainText() + "\n" + text).orElse(text);
    }

    /** Collects a prompt and cards; {@link #build()} checks the count. */
    public static final class Builder {
        private Text prompt;
        private final List<Card> cards = new ArrayList<>();

        private Builder() {
        }

        /** Text shown with the carousel. */
        public Builder prompt(String prompt) {
            return prompt(Text.plain(prompt));
        }

        /** Formatted text shown with the carousel. */
        public Builder prompt(Text prompt) {
            this.prompt = prompt;
            return this;
        }

        public Builder card(Card card) {
            cards.add(Objects.requireNonNull(card, "card"));
            return this;
        }

        public Cards build() {
            return new Cards(Optional.ofNullable(prompt), cards);
        }
    }
}
