package dev.switchboard.model;

import java.util.Objects;

/**
 * A normalised way to reach or recognise a person: a phone in E.164, a lower-cased email address, or the host
 * application's own user id. Build phone and email points through {@code dev.switchboard.identity.ContactNormalizer}
 * so equal points compare equal.
 */
public record ContactPoint(Kind kind, String value) {
    /** What the value is. */
    public enum Kind { PHONE, EMAIL, EXTERNAL_ID }

    public ContactPoint {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("contact point value must not be blank");
        }
    }

    /** The host application's own id for its logged-in user, as signed by the host. */
    public static ContactPoint externalId(String id) {
        return new ContactPoint(Kind.EXTERNAL_ID, id);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + value;
    }
}
