package dev.switchboard.render;

import dev.switchboard.channel.CardLimits;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Media;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Decides whether a carousel can be shown natively under a channel's {@link CardLimits}, and fits it (truncated
 * titles, descriptions and labels). A carousel that breaks a structural rule is not trimmed card by card: dropping
 * cards or buttons would lose what the sender offered, so the renderer degrades it as a whole instead.
 */
final class CardFitting {
    private CardFitting() {
    }

    /** True when every card can be shown natively: counts, rules, button kinds and sendable images. */
    static boolean fits(Cards cards, Capabilities caps, CardLimits limits, Predicate<Media> canSendImage) {
        List<Card> list = cards.cards();
        if (list.size() > limits.maxCards()) {
            return false;
        }
        for (Card c : list) {
            if (c.buttons().size() > limits.maxButtonsPerCard()
                    || (limits.buttonRequired() && c.buttons().isEmpty())
                    || (limits.imageOrDescriptionRequired() && c.image().isEmpty() && c.description().isEmpty())
                    || (c.image().isPresent() && !canSendImage.test(c.image().get()))) {
                return false;
            }
            for (Choice b : c.buttons()) {
                // a channel without buttons writes a native card's links as links
                if (b.action() instanceof Choice.OpenLink && caps.buttons() && !caps.linkButtons()) {
                    return false;
                }
            }
        }
        if (limits.uniformFields()) {
            Card first = list.get(0);
            for (Card c : list) {
                if (c.description().isPresent() != first.description().isPresent()
                        || c.image().isPresent() != first.image().isPresent()
                        || c.defaultLink().isPresent() != first.defaultLink().isPresent()
                        || c.buttons().isEmpty() != first.buttons().isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The cards with titles, descriptions and button labels truncated to the limits, images without captions. */
    static Cards fit(Cards cards, Capabilities caps, CardLimits limits) {
        List<Card> fitted = cards.cards().stream().map(c -> new Card(
                Boundaries.truncate(c.title(), limits.maxTitleLength(), caps.textLengthUnit()),
                c.description().map(d -> Boundaries.truncate(d, limits.maxDescriptionLength(), caps.textLengthUnit())),
                c.image().map(Media::withoutCaption),
                c.buttons().stream().map(b -> new Choice(label(b.label(), caps), b.action()))
                        .collect(Collectors.toList()),
                c.defaultLink())).collect(Collectors.toList());
        return new Cards(cards.prompt(), fitted);
    }

    private static String label(String label, Capabilities caps) {
        return caps.maxButtonLabelLength() > 0
                ? Boundaries.truncate(label, caps.maxButtonLabelLength(), caps.textLengthUnit()) : label;
    }
}
