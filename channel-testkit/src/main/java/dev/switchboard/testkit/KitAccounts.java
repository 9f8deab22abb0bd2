package dev.switchboard.testkit;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;

/**
 * Small helpers for building the accounts and outbound messages channel tests need over and over, so a test says
 * "send this bubble to that user" in one line.
 */
public final class KitAccounts {
    private KitAccounts() {
    }

    /** The account {@code platformUserId} on {@code channel}, with no profile. */
    public static ChannelAccount account(Channel channel, String platformUserId) {
        return ChannelAccount.of(channel.tenant(), channel.id(), platformUserId, Profile.EMPTY);
    }

    /** A single-bubble outbound message to {@code platformUserId} on {@code channel}. */
    public static OutboundMessage message(Channel channel, String platformUserId, Bubble bubble) {
        return OutboundMessage.simple(channel.id(), account(channel, platformUserId), bubble);
    }

    /** A plain-text outbound message to {@code platformUserId} on {@code channel}. */
    public static OutboundMessage text(Channel channel, String platformUserId, String text) {
        return message(channel, platformUserId, Bubble.TextBubble.plain(text));
    }
}
