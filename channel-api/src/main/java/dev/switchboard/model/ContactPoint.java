package dev.switchboard.model;

import java.util.Objects;

/**
 * A normalised way to reach or recognise a person: a phone in E.164, a lower-cased email address, or the host
 * application's own user id. Build phone and email points through {@code dev.switchboard.identity.ContactNormalizer}
 * so equal points compare equal.
 */
public record ContactPoint(Kind kind, String value) {
    /**
     * What the value is. {@code SIGNED_LINK} is a token from a host-signed deep link as a customer brought it
     * ({@code dev.switchboard.identity.SignedDeepLinks}); the identity engine verifies it and replaces it with the host
     * user id it names (verified) or drops it, so it is never stored on a customer.
     */
    public enum Kind { PHONE, EMAIL, EXTERNAL_ID, SIGNED_LINK }

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

    /**
     * The token of a host-signed deep link exactly as the customer brought it (Telegram {@code /start <token>}, a VK
     * {@code ref}, a Viber {@code context}, a webchat link parameter). Channels pass it as evidence; the identity
     * engine checks the signature, expiry and tenant.
     */
    public static ContactPoint signedLink(String token) {
        return new ContactPoint(Kind.SIGNED_LINK, token);
    }

    @Override
    public String toString() {
        if (kind == Kind.SIGNED_LINK) {
            return "signed_link:***"; // a bearer token until it expires: never logged
        }
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + value;
    }
}
