package dev.switchboard.render;

import dev.switchboard.channel.Markup;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Choice;
import dev.switchboard.content.ContactCard;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One platform message, already fitted to a channel's {@code Capabilities}: text within the length limit and
 * escaped for the channel's markup, buttons only where the channel has them, media only of supported kinds. A
 * channel turns each bubble into exactly one platform call.
 */
public sealed interface Bubble permits Bubble.TextBubble, Bubble.MediaBubble, Bubble.LocationBubble,
        Bubble.ContactBubble, Bubble.CardsBubble {

    /** The bubble's text without markup, for logs, previews and plain-text alternatives. */
    String plain();

    /**
     * Text, formatted for {@code markup}, with native buttons when the channel has them.
     *
     * @param formatted the text escaped and formatted for {@code markup}
     * @param plain the same text without markup
     */
    record TextBubble(String formatted, String plain, Markup markup, List<Choice> buttons) implements Bubble {
        public TextBubble {
            Objects.requireNonNull(formatted, "formatted");
            Objects.requireNonNull(plain, "plain");
            Objects.requireNonNull(markup, "markup");
            buttons = List.copyOf(buttons);
        }

        public static TextBubble plain(String text) {
            return new TextBubble(text, text, Markup.PLAIN, List.of());
        }
    }

    /** A media file the channel supports, with its caption formatted for the channel's markup. */
    record MediaBubble(Media media, Optional<String> formattedCaption, Markup markup) implements Bubble {
        public MediaBubble {
            Objects.requireNonNull(media, "media");
            Objects.requireNonNull(formattedCaption, "formattedCaption");
            Objects.requireNonNull(markup, "markup");
        }

        @Override
        public String plain() {
            return media.plainText();
        }
    }

    /** A native location message. */
    record LocationBubble(Location location) implements Bubble {
        public LocationBubble {
            Objects.requireNonNull(location, "location");
        }

        @Override
        public String plain() {
            return location.latitude() + "," + location.longitude();
        }
    }

    /** A native contact card. */
    record ContactBubble(ContactCard card) implements Bubble {
        public ContactBubble {
            Objects.requireNonNull(card, "card");
        }

        @Override
        public String plain() {
            return card.plainText();
        }
    }

    /**
     * A native carousel, fitted to the channel's {@code CardLimits}: no more cards and buttons than it takes, titles,
     * descriptions and button labels truncated, every image sendable by the channel. Only rendered for channels that
     * declare {@code Capabilities.cards()}.
     *
     * <p>On a channel with cards but no buttons (email) the buttons are shown as text: postbacks are numbered in
     * their labels ("1. Book") and in the message's {@code ChoiceMap}, and {@code replyHint} says to reply with a
     * number; links stay links.
     *
     * @param formattedPrompt the carousel's prompt formatted for {@code markup}, when it has one
     * @param replyHint the line to show under the cards when their postbacks are numbered
     */
    record CardsBubble(Cards cards, Optional<String> formattedPrompt, Markup markup, Optional<String> replyHint)
            implements Bubble {
        public CardsBubble {
            Objects.requireNonNull(cards, "cards");
            Objects.requireNonNull(formattedPrompt, "formattedPrompt");
            Objects.requireNonNull(markup, "markup");
            // bubbles stored before the field existed read it as absent
            replyHint = replyHint == null ? Optional.empty() : replyHint;
        }

        /** A carousel whose buttons the channel shows as buttons. */
        public CardsBubble(Cards cards, Optional<String> formattedPrompt, Markup markup) {
            this(cards, formattedPrompt, markup, Optional.empty());
        }

        @Override
        public String plain() {
            return cards.plainText();
        }
    }
}
