package dev.switchboard.inbox.campaign;

import dev.switchboard.content.Content;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a campaign sends, as stored with it: the content, the email subject, whether paid sends are allowed, and the
 * unsubscribe footer added to messenger messages, by language (the customer's language, else {@code "en"}).
 *
 * @param paidSendsAllowed whether the host opted in to messages the platform bills (Viber's bot-initiated messages)
 * @param footers the "reply STOP to unsubscribe" text by language tag; must hold {@code "en"}
 */
public record CampaignMessage(Content content, Optional<String> subject, boolean paidSendsAllowed,
                              Map<String, String> footers) {
    /** Checks the components, copies the footers and requires an {@code "en"} one. */
    public CampaignMessage {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(subject, "subject");
        footers = Map.copyOf(Objects.requireNonNull(footers, "footers"));
        if (!footers.containsKey("en")) {
            throw new IllegalArgumentException("footers must hold an \"en\" footer");
        }
    }

    /** The footer for a customer's language tag ({@code "ru"}, {@code "ru-RU"}), else the English one. */
    public String footerFor(Optional<String> language) {
        return language.map(l -> l.toLowerCase(java.util.Locale.ROOT))
                .map(l -> footers.getOrDefault(l, footers.get(l.split("[-_]")[0])))
                .orElse(footers.get("en"));
    }
}
