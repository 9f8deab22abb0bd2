package dev.switchboard.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A claim that an account belongs to whoever owns a contact point. Only {@code verified} evidence (a phone shared
 * through Telegram's own contact button, the sender address of a received email, a host-signed user id, an explicit
 * host link) may merge customers automatically; anything else can only produce a merge suggestion.
 *
 * @param source where the claim came from, for the merge log (e.g. {@code telegram.contact}, {@code email.sender})
 */
public record Evidence(ContactPoint point, boolean verified, String source, Instant observedAt) {
    public Evidence {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(observedAt, "observedAt");
    }

    public static Evidence verified(ContactPoint point, String source, Instant at) {
        return new Evidence(point, true, source, at);
    }

    public static Evidence unverified(ContactPoint point, String source, Instant at) {
        return new Evidence(point, false, source, at);
    }
}
