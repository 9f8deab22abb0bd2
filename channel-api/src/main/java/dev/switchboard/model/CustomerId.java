package dev.switchboard.model;

/** Identifies a {@link Customer} within its tenant. Values are opaque strings; {@link #random()} creates a new one. */
public record CustomerId(String value) {
    public CustomerId {
        Ids.require("CustomerId", value);
    }

    public static CustomerId of(String value) {
        return new CustomerId(value);
    }

    public static CustomerId random() {
        return new CustomerId(Ids.random());
    }

    @Override
    public String toString() {
        return value;
    }
}
