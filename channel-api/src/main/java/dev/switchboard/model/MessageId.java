package dev.switchboard.model;

/** Identifies a stored {@link Message} (inbound or outbound) within its tenant. Values are opaque strings; {@link #random()} creates a new one. */
public record MessageId(String value) {
    public MessageId {
        Ids.require("MessageId", value);
    }

    public static MessageId of(String value) {
        return new MessageId(value);
    }

    public static MessageId random() {
        return new MessageId(Ids.random());
    }

    @Override
    public String toString() {
        return value;
    }
}
