package dev.switchboard.model;

/**
 * Names one configured channel instance, such as {@code telegram-main} or {@code email-support}. A business may run
 * several channels of the same {@link ChannelType} (two mailboxes, two bots); each has its own id.
 */
public record ChannelId(String value) {
    public ChannelId {
        Ids.require("ChannelId", value);
    }

    public static ChannelId of(String value) {
        return new ChannelId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
