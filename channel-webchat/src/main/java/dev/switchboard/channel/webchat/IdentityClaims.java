package dev.switchboard.channel.webchat;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a host's backend vouches for about its logged-in user when it signs a website-chat identity token
 * ({@link WebchatIdentity#sign}): the user id, when it signed (the token is accepted only for the channel's
 * {@code identityTokenLifetime}), an optional single-use nonce, and optional attributes. A signed phone or email
 * arrives at the inbox as verified evidence (the host checked it, e.g. by SMS or a confirmation link); a signed name
 * is a profile hint, like every name.
 *
 * @param userId the host's own id for the user (at most 256 characters)
 * @param issuedAt when the host signed the token
 * @param nonce a value the server accepts once within the lifetime (bind it to the host's page session); optional
 */
public record IdentityClaims(String userId, Instant issuedAt, Optional<String> nonce, Optional<String> name,
                             Optional<String> email, Optional<String> phone) {
    public IdentityClaims {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(phone, "phone");
        if (userId.isBlank() || userId.length() > 256) {
            throw new IllegalArgumentException("userId must be 1-256 characters");
        }
        if (nonce.isPresent() && (nonce.get().isEmpty() || nonce.get().length() > 128)) {
            throw new IllegalArgumentException("nonce must be 1-128 characters");
        }
    }

    /** Claims for {@code userId} signed at {@code issuedAt}, without nonce or attributes. */
    public static IdentityClaims of(String userId, Instant issuedAt) {
        return new IdentityClaims(userId, issuedAt, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** These claims with a single-use nonce. */
    public IdentityClaims withNonce(String nonce) {
        return new IdentityClaims(userId, issuedAt, Optional.of(nonce), name, email, phone);
    }

    /** These claims with the user's name (a profile hint). */
    public IdentityClaims withName(String name) {
        return new IdentityClaims(userId, issuedAt, nonce, Optional.of(name), email, phone);
    }

    /** These claims with an email address the host has verified. */
    public IdentityClaims withEmail(String email) {
        return new IdentityClaims(userId, issuedAt, nonce, name, Optional.of(email), phone);
    }

    /** These claims with a phone number (E.164, e.g. {@code +79161234567}) the host has verified. */
    public IdentityClaims withPhone(String phone) {
        return new IdentityClaims(userId, issuedAt, nonce, name, email, Optional.of(phone));
    }
}
