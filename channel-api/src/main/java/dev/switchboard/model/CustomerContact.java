package dev.switchboard.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A contact point held by a customer, with whether it is verified, where it came from and through which account it
 * was observed. A customer may hold many (several phones and emails), verified or not.
 */
public record CustomerContact(ContactPoint point, boolean verified, String source, Instant observedAt,
                              Optional<AccountKey> via) {
    public CustomerContact {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(via, "via");
    }
}
