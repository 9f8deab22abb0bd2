package dev.switchboard.channel;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Marks an {@link OutboundMessage} as marketing (a campaign's broadcast, not a reply) and says how its recipient
 * unsubscribes. Channels with a header for it use {@code unsubscribeUrl}: email sends {@code List-Unsubscribe} with the
 * URL and {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} (RFC 8058); messengers carry a text footer in the
 * message itself instead. The outbox sends marketing messages with a lower priority than replies on the same channel.
 *
 * @param purpose the consent purpose the message is sent under (e.g. {@code "marketing"})
 * @param unsubscribeUrl the HTTPS one-click unsubscribe URL (with its signed token), when the host configured one
 */
public record MarketingNotice(String purpose, Optional<URI> unsubscribeUrl) {
    /** Checks that nothing is null, the purpose is not blank and the URL, when given, is HTTPS. */
    public MarketingNotice {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(unsubscribeUrl, "unsubscribeUrl");
        if (purpose.isBlank()) {
            throw new IllegalArgumentException("purpose must not be blank");
        }
        unsubscribeUrl.ifPresent(u -> {
            if (!"https".equalsIgnoreCase(u.getScheme())) {
                throw new IllegalArgumentException("unsubscribeUrl must be an https URL, got scheme " + u.getScheme());
            }
        });
    }
}
