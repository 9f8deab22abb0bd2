package dev.switchboard.channel.telegram;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link TelegramChannel} receives updates: by long polling {@code getUpdates}, or by a webhook
 * Telegram POSTs to. The two are mutually exclusive on Telegram's side (a bot with a webhook gets 409 from
 * getUpdates), so a channel has exactly one mode.
 */
public sealed interface TelegramMode permits TelegramMode.Polling, TelegramMode.Webhook {

    /** Long polling with {@code getUpdates}. */
    static Polling polling() {
        return Polling.INSTANCE;
    }

    /**
     * A webhook at {@code publicUrl} (what Telegram calls, HTTPS in production), authenticated by {@code secretToken}
     * that Telegram echoes in the {@code X-Telegram-Bot-Api-Secret-Token} header.
     */
    static Webhook webhook(String publicUrl, String secretToken) {
        return new Webhook(URI.create(Objects.requireNonNull(publicUrl, "publicUrl")), secretToken);
    }

    /**
     * Long polling: the channel keeps one getUpdates open at a time through its {@link TelegramTransport}, without a
     * thread of its own (the shared transport holds every bot's poll on one selector thread).
     */
    final class Polling implements TelegramMode {
        static final Polling INSTANCE = new Polling();

        private Polling() {
        }

        @Override
        public String toString() {
            return "polling";
        }
    }

    /**
     * Webhook mode. {@code toString()} masks the secret token.
     *
     * @param publicUrl the URL Telegram POSTs updates to (registered with setWebhook at start)
     * @param secretToken 1-256 characters of {@code [A-Za-z0-9_-]}
     */
    record Webhook(URI publicUrl, String secretToken) implements TelegramMode {
        private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");

        public Webhook {
            Objects.requireNonNull(publicUrl, "publicUrl");
            Objects.requireNonNull(secretToken, "secretToken");
            if (!publicUrl.isAbsolute() || publicUrl.getHost() == null) {
                throw new IllegalArgumentException("webhook publicUrl must be an absolute http(s) URL, got "
                        + publicUrl);
            }
            String scheme = publicUrl.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException("webhook publicUrl must be http(s), got scheme " + scheme);
            }
            if (!SECRET.matcher(secretToken).matches()) {
                throw new IllegalArgumentException("webhook secretToken must be 1-256 characters of [A-Za-z0-9_-] "
                        + "(Telegram's rule); got " + secretToken.length() + " characters");
            }
        }

        @Override
        public String toString() {
            return "webhook(" + publicUrl + ", secretToken=***)";
        }
    }
}
