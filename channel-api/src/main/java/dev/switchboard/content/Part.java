package dev.switchboard.content;

/** One piece of {@link Content}. The set is closed so a renderer can prove it handled every kind. */
public sealed interface Part permits Text, Media, Location, ContactCard, Choices, Cards {
    /** This part as plain text (empty when it has none). */
    String plainText();
}
