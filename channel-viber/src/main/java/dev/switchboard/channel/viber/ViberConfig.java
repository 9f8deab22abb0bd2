package dev.switchboard.channel.viber;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The checked configuration of a {@link ViberChannel}, as built by {@link ViberChannel.Builder}. Immutable;
 * {@code toString()} masks the auth token (which is also the key of every callback's signature), so the configuration
 * can be logged.
 *
 * @param authToken the bot's authentication token (the {@code X-Viber-Auth-Token} header, the callback signature key)
 * @param senderName the bot's name as {@code sender.name} on every message, at most 28 characters
 * @param senderAvatar the avatar URL as {@code sender.avatar}, if any
 * @param apiBaseUrl where the API methods live, {@code https://chatapi.viber.com/pa} by default
 * @param webhookUrl the public HTTPS URL the channel registers with {@code set_webhook} when it starts, if given
 * @param welcome the welcome message to answer {@code conversation_started} with, if any
 * @param commercial whether the bot is on Viber's commercial terms (every bot created since 5 February 2024): messages
 *     outside the 24-hour window a customer opened are then billed ({@link dev.switchboard.channel.SendCost#PAID})
 * @param sessionWindow how long after a customer's last message replies are free session messages (24 hours)
 * @param maxWebhookBodyBytes callback bodies above this are answered 413 without being processed
 * @param requestsPerSecond the send rate declared to the outbox
 */
public record ViberConfig(ChannelId channelId, TenantId tenant, String authToken, String senderName,
                          Optional<String> senderAvatar, HttpUrl apiBaseUrl, Optional<String> webhookUrl,
                          Optional<ViberWelcome> welcome, boolean commercial, Duration sessionWindow,
                          int maxWebhookBodyBytes, int requestsPerSecond) {
    /** Viber's limit on {@code sender.name}. */
    public static final int MAX_SENDER_NAME = 28;

    public ViberConfig {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(authToken, "authToken");
        Objects.requireNonNull(senderName, "senderName");
        Objects.requireNonNull(senderAvatar, "senderAvatar");
        Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
        Objects.requireNonNull(webhookUrl, "webhookUrl");
        Objects.requireNonNull(welcome, "welcome");
        Objects.requireNonNull(sessionWindow, "sessionWindow");
    }

    @Override
    public String toString() {
        return "ViberConfig[channelId=" + channelId + ", tenant=" + tenant + ", authToken=***, senderName="
                + senderName + ", apiBaseUrl=" + apiBaseUrl + ", webhookUrl=" + webhookUrl.orElse("not registered")
                + ", welcome=" + (welcome.isPresent() ? "set" : "none") + ", commercial=" + commercial
                + ", sessionWindow=" + sessionWindow + "]";
    }
}
