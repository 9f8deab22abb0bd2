package dev.switchboard.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A single-valued attribute (name, language) on which two merged customers disagreed. The survivor keeps its value;
 * the other value is kept here for an agent to review instead of being silently dropped.
 */
public record AttributeConflict(String attribute, String keptValue, String otherValue, CustomerId from, Instant at) {
    public AttributeConflict {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(keptValue, "keptValue");
        Objects.requireNonNull(otherValue, "otherValue");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(at, "at");
    }
}
