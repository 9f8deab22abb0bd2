package dev.switchboard.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What a platform tells us about the person behind an account: hints, never proof of identity. A name here is
 * unverified and can only ever produce a merge suggestion.
 */
public record Profile(Optional<String> displayName, Optional<String> username, Optional<String> language,
                      Optional<String> avatarUrl) {
    public static final Profile EMPTY = new Profile(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public Profile {
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(avatarUrl, "avatarUrl");
    }

    public static Profile named(String displayName) {
        return new Profile(Optional.of(displayName), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public Profile withUsername(String username) {
        return new Profile(displayName, Optional.of(username), language, avatarUrl);
    }

    public Profile withLanguage(String language) {
        return new Profile(displayName, username, Optional.of(language), avatarUrl);
    }
}
