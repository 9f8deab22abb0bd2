package dev.switchboard.testkit.loopback;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.util.Objects;

/**
 * The checked configuration of a {@link LoopbackChannel}, as built by {@link LoopbackChannel.Builder}: every option in
 * one immutable value. Like every channel configuration, its {@code toString()} never shows the token.
 *
 * @param channelId the channel's id
 * @param tenant the tenant the channel belongs to
 * @param token the bot token the platform checks on every call
 * @param capabilities what the platform can show (the kit tests run with a plain and a formatted variant)
 * @param pollWait how long one long poll waits for an update
 * @param retryBackoff the pause after the inbox failed to commit a batch, before it is fetched again
 */
public record LoopbackConfig(ChannelId channelId, TenantId tenant, String token, Capabilities capabilities,
                             Duration pollWait, Duration retryBackoff) {

    public LoopbackConfig {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(pollWait, "pollWait");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
    }

    /** What the loopback platform can do: short MarkdownV2 messages (to exercise splitting) and eight buttons. */
    public static Capabilities defaultCapabilities() {
        return Capabilities.builder()
                .maxTextLength(300, TextLengthUnit.UTF16_UNITS)
                .markup(Markup.TELEGRAM_MARKDOWN_V2)
                .buttons(8, 32)
                .receiveMode(ReceiveMode.POLLING)
                .build();
    }

    @Override
    public String toString() {
        return "LoopbackConfig[channelId=" + channelId + ", tenant=" + tenant + ", token=***, pollWait=" + pollWait
                + "]";
    }
}
