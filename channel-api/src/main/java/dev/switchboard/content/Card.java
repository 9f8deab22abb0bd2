package dev.switchboard.content;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One card of a {@link Cards} carousel: a title, an optional one-line description, an optional image, up to
 * {@value #MAX_BUTTONS} buttons (postbacks or links) and an optional default link opened when the card itself is
 * tapped. Immutable; build one with {@link #builder(String)}, which checks every field at {@code build()}. Channels
 * without native cards show it as its image, its title in bold, its description, and its buttons as choices (see
 * {@code docs/rendering.md}).
 *
 * @param image an {@link MediaKind#IMAGE} shown at the top of the card
 * @param buttons postback or link choices, at most {@value #MAX_BUTTONS}
 * @param defaultLink opened when the card (not one of its buttons) is tapped, where the channel supports it
 */
public record Card(String title, Optional<String> description, Optional<Media> image, List<Choice> buttons,
                   Optional<URI> defaultLink) {
    /** The most buttons a card may carry (VK's and Viber's carousels show three). */
    public static final int MAX_BUTTONS = 3;

    public Card {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(defaultLink, "defaultLink");
        buttons = List.copyOf(buttons);
        if (title.isBlank()) {
            throw new IllegalArgumentException("card title must not be blank");
        }
        if (description.isPresent() && description.get().isBlank()) {
            throw new IllegalArgumentException("card description must not be blank when present (omit it instead)");
        }
        if (image.isPresent() && image.get().kind() != MediaKind.IMAGE) {
            throw new IllegalArgumentException("card image must be an IMAGE, got " + image.get().kind());
        }
        if (buttons.size() > MAX_BUTTONS) {
            throw new IllegalArgumentException("card buttons must be at most " + MAX_BUTTONS + ", got "
                    + buttons.size());
        }
        for (Choice b : buttons) {
            if (!(b.action() instanceof Choice.Postback || b.action() instanceof Choice.OpenLink)) {
                throw new IllegalArgumentException("card buttons must be postbacks or links, got '" + b.label()
                        + "' asking to share a phone");
            }
        }
    }

    /** Starts a card with its title. */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** The card's text for search and previews: title, description and button labels. */
    public String plainText() {
        StringBuilder sb = new StringBuilder(title);
        description.ifPresent(d -> sb.append('\n').append(d));
        buttons.forEach(b -> sb.append('\n').append(b.label()));
        return sb.toString();
    }

    /** Collects a card's fields; {@link #build()} checks them (messages name the field). */
    public static final class Builder {
        private final String title;
        private String description;
        private Media image;
        private final List<Choice> buttons = new ArrayList<>();
        private URI defaultLink;

        private Builder(String title) {
            this.title = title;
        }

        /** A short line under the title. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** The picture at the top of the card (an image). */
        public Builder image(Media image) {
            this.image = image;
            return this;
        }

        /** Adds a button (a postback or a link); at most three. */
        public Builder button(Choice button) {
            this.buttons.add(Objects.requireNonNull(button, "button"));
            return this;
        }

        /** Adds a postback button. */
        public Builder postback(String label, String payload) {
            return button(Choice.postback(label, payload));
        }

        /** Adds a link button. */
        public Builder link(String label, URI uri) {
            return button(Choice.link(label, uri));
        }

        /** What tapping the card itself opens. */
        public Builder defaultLink(URI uri) {
            this.defaultLink = uri;
            return this;
        }

        public Card build() {
            if (title == null) {
                throw new IllegalArgumentException("card title is required");
            }
            return new Card(title, Optional.ofNullable(description), Optional.ofNullable(image), buttons,
                    Optional.ofNullable(defaultLink));
        }
    }
}
