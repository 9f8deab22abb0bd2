package dev.switchboard.channel.vk;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The checked configuration of a {@link VkChannel}, as built by {@link VkChannel.Builder}. Immutable;
 * {@code toString()} masks the access token and the Callback API secret, so the configuration can be logged.
 *
 * @param groupId the community's id (positive, as in {@code club123})
 * @param accessToken the community access token (messages, photos, docs, manage rights)
 * @param apiBaseUrl where the API methods live, {@code https://api.vk.ru/method} by default
 * @param apiVersion the API version sent as {@code v} on every call; pinned to {@value #API_VERSION}
 * @param callbackSecret the "secret key" set in the community's Callback API settings; every request must carry it
 * @param confirmationCode the confirmation string to answer VK's {@code confirmation} request with; fetched with
 *     {@code groups.getCallbackConfirmationCode} when absent
 * @param longPollWait the {@code wait} sent to {@code a_check} (VK allows up to 90 s and recommends 25)
 * @param longPollSessionMaxAge a long poll key older than this is replaced before VK expires it
 * @param longPollCursor where the last committed long poll {@code ts} is kept
 * @param retryBackoffMin first wait after a failed poll, doubled up to {@code retryBackoffMax}
 * @param maxWebhookBodyBytes Callback API bodies above this are answered 413 without being processed
 * @param requestsPerSecond the API rate limit of the community token (VK: 20 per second), declared to the outbox
 */
public record VkConfig(ChannelId channelId, TenantId tenant, long groupId, String accessToken, HttpUrl apiBaseUrl,
                       String apiVersion, VkReceiveMode receiveMode, Optional<String> callbackSecret,
                       Optional<String> confirmationCode, Duration longPollWait, Duration longPollSessionMaxAge,
                       VkLongPollCursor longPollCursor,
                       Duration retryBackoffMin, Duration retryBackoffMax, int maxWebhookBodyBytes,
                       int requestsPerSecond) {
    /** The VK API version this channel speaks. */
    public static final String API_VERSION = "5.199";

    public VkConfig {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(receiveMode, "receiveMode");
        Objects.requireNonNull(callbackSecret, "callbackSecret");
        Objects.requireNonNull(confirmationCode, "confirmationCode");
        Objects.requireNonNull(longPollWait, "longPollWait");
        Objects.requireNonNull(longPollSessionMaxAge, "longPollSessionMaxAge");
        Objects.requireNonNull(longPollCursor, "longPollCursor");
        Objects.requireNonNull(retryBackoffMin, "retryBackoffMin");
        Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
    }

    /** The token as logs and {@code toString()} show it: {@code ***}, whatever it is. */
    public String maskedToken() {
        return "***";
    }

    @Override
    public String toString() {
        return "VkConfig[channelId=" + channelId + ", tenant=" + tenant + ", groupId=" + groupId + ", accessToken="
                + maskedToken() + ", apiBaseUrl=" + apiBaseUrl + ", v=" + apiVersion + ", receiveMode=" + receiveMode
                + ", callbackSecret=" + (callbackSecret.isPresent() ? "***" : "none") + ", confirmationCode="
                + confirmationCode.map(c -> "set").orElse("fetched") + ", longPollWait=" + longPollWait + "]";
    }
}
