package dev.switchboard.identity;

/** Identifies one entry of the merge log. */
public record MergeId(String value) {
    public MergeId {
        java.util.Objects.requireNonNull(value, "value");
    }

    /** A new random id. */
    public static MergeId random() {
        return new MergeId(java.util.UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
