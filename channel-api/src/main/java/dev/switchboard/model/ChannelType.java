package dev.switchboard.model;

import java.util.Locale;

/**
 * The kind of platform a channel talks to ("telegram", "email", "webchat", ...). Open-ended so third-party channel
 * plugins can add their own; customer preferences ("don't message me on Telegram") are kept per type, so they hold
 * for every channel of that type.
 */
public record ChannelType(String value) {
    public static final ChannelType TELEGRAM = new ChannelType("telegram");
    public static final ChannelType EMAIL = new ChannelType("email");
    public static final ChannelType WEBCHAT = new ChannelType("webchat");
    public static final ChannelType VK = new ChannelType("vk");
    public static final ChannelType VIBER = new ChannelType("viber");

    public ChannelType {
        Ids.require("ChannelType", value);
        value = value.toLowerCase(Locale.ROOT);
    }

    public static ChannelType of(String value) {
        return new ChannelType(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
