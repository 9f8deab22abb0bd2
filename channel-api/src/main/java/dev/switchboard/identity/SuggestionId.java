package dev.switchboard.identity;

/** Identifies one {@link MergeSuggestion}. */
public record SuggestionId(String value) {
    public SuggestionId {
        java.util.Objects.requireNonNull(value, "value");
    }

    /** A new random id. */
    public static SuggestionId random() {
        return new SuggestionId(java.util.UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
