package dev.switchboard.model;

/** Identifies a {@link Conversation} within its tenant. Values are opaque strings; {@link #random()} creates a new one. */
public record ConversationId(String value) {
    public ConversationId {
        Ids.require("ConversationId", value);
    }

    public static ConversationId of(String value) {
        return new ConversationId(value);
    }

    public static ConversationId random() {
        return new ConversationId(Ids.random());
    }

    @Override
    public String toString() {
        return value;
    }
}
