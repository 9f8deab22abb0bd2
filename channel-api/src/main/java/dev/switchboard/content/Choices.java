package dev.switchboard.content;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A prompt with buttons or quick replies. Channels without buttons get a numbered list instead, and a reply "2" is
 * mapped back to the second choice's postback.
 */
public record Choices(Optional<Text> prompt, List<Choice> choices) implements Part {
    public Choices {
        Objects.requireNonNull(prompt, "prompt");
        choices = List.copyOf(choices);
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("choices must not be empty");
        }
    }

    public static Choices of(String prompt, Choice... choices) {
        return new Choices(Optional.of(Text.plain(prompt)), List.of(choices));
    }

    @Override
    public String plainText() {
        String labels = choices.stream().map(Choice::label).collect(Collectors.joining(" | "));
        return prompt.map(p -> p.plainText() + "\n" + labels).orElse(labels);
    }
}
