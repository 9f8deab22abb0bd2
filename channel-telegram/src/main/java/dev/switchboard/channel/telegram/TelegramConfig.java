package dev.switchboard.channel.telegram;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * The checked configuration of a {@link TelegramChannel}, as built by {@link TelegramChannel.Builder}. Immutable;
 * {@code toString()} masks the bot token and the webhook secret, so the configuration can be logged.
 *
 * @param apiBaseUrl the Bot API server ({@code https://api.telegram.org}, a local telegram-bot-api server, a fake)
 * @param pollTimeout the long-poll {@code timeout} sent to getUpdates (Telegram caps it at 50 s)
 * @param pollLimit how many updates one getUpdates returns at most (1-100)
 * @param allowedUpdates the update types requested with {@code allowed_updates}
 * @param retryBackoffMin first wait after a failed poll; doubled on each further failure up to {@code retryBackoffMax}
 * @param maxWebhookBodyBytes webhook bodies above this are answered 413 without being processed
 * @param webhookCheckInterval how often a webhook channel asks getWebhookInfo whether Telegram still delivers to it
 */
public record TelegramConfig(ChannelId channelId, TenantId tenant, String botToken, HttpUrl apiBaseUrl,
                             TelegramMode mode, Duration pollTimeout, int pollLimit, List<String> allowedUpdates,
                             Duration retryBackoffMin, Duration retryBackoffMax, int maxWebhookBodyBytes,
                             Duration webhookCheckInterval) {

    public TelegramConfig {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(botToken, "botToken");
        Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        allowedUpdates = List.copyOf(allowedUpdates);
        Objects.requireNonNull(retryBackoffMin, "retryBackoffMin");
        Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
        Objects.requireNonNull(webhookCheckInterval, "webhookCheckInterval");
    }

    /** How logs and thread-free diagnostics name the channel: {@code <tenant>/<channel id>}, once. */
    String logLabel() {
        return tenant + "/" + channelId;
    }

    /** The token with everything after the bot id masked, e.g. {@code 123456:***}. */
    public String maskedToken() {
        int colon = botToken.indexOf(':');
        return (colon > 0 ? botToken.substring(0, colon) : "") + ":***";
    }

    @Override
    public String toString() {
        return "TelegramConfig[channelId=" + channelId + ", tenant=" + tenant + ", botToken=" + maskedToken()
                + ", apiBaseUrl=" + apiBaseUrl + ", mode=" + mode + ", pollTimeout=" + pollTimeout + ", pollLimit="
                + pollLimit + ", allowedUpdates=" + allowedUpdates + "]";
    }
}
