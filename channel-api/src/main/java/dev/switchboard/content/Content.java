package dev.switchboard.content;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a message says, as an ordered list of parts: text, media, a location, a contact card, choices. Content is
 * channel-neutral; {@code dev.switchboard.render.Renderer} turns it into what a particular channel can show.
 */
public record Content(List<Part> parts) {
    public Content {
        parts = List.copyOf(parts);
    }

    public static Content of(Part... parts) {
        return new Content(List.of(parts));
    }

    /** Plain text content. */
    public static Content text(String text) {
        return new Content(List.of(Text.plain(text)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All text of this content as plain text (media captions and choice labels included), for search and previews. */
    public String plainText() {
        return parts.stream().map(Part::plainText).filter(s -> !s.isEmpty()).collect(Collectors.joining("\n"));
    }

    public boolean isEmpty() {
        return parts.isEmpty();
    }

    /** Collects parts in order. */
    public static final class Builder {
        private final List<Part> parts = new ArrayList<>();

        public Builder text(String text) {
            parts.add(Text.plain(text));
            return this;
        }

        public Builder part(Part part) {
            parts.add(part);
            return this;
        }

        public Content build() {
            return new Content(parts);
        }
    }
}
