package dev.switchboard.content;

import java.net.URI;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A run of text with the same styles, optionally a link. */
public record Span(String text, Set<Style> styles, Optional<URI> link) {
    public Span {
        Objects.requireNonNull(text, "text");
        styles = styles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(styles));
        Objects.requireNonNull(link, "link");
    }

    public static Span plain(String text) {
        return new Span(text, Set.of(), Optional.empty());
    }

    public static Span styled(String text, Style... styles) {
        return new Span(text, Set.of(styles), Optional.empty());
    }

    public static Span link(String text, URI target) {
        return new Span(text, Set.of(), Optional.of(target));
    }

    public Span withText(String text) {
        return new Span(text, styles, link);
    }
}
