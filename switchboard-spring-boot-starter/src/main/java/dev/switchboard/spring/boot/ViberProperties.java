package dev.switchboard.spring.boot;

import java.time.Duration;

/**
 * A Viber bot's settings ({@code switchboard.tenants[].channels[].viber.*}, channel-viber): the bot's auth token and
 * the sender name shown on every message (both required), an optional avatar and welcome message, and the commercial
 * terms. Viber calls the application's own server at {@code /webhooks/viber/<channel id>} (plus
 * {@code switchboard.webhooks.path-prefix}); give {@code webhook-url}, the public HTTPS URL of that path, to have it
 * registered with {@code set_webhook} each time the channel starts. The auth token is a secret (it also keys every
 * callback's signature): bind it from the environment, e.g. {@code SWITCHBOARD_TENANTS_0_CHANNELS_0_VIBER_AUTHTOKEN};
 * it is masked in the actuator.
 */
public class ViberProperties {
    /** The bot's authentication token (secret), from the bot's "edit info" screen in the Viber admin panel. */
    private String authToken;

    /** The name shown as the sender of every message, at most 28 characters. */
    private String senderName;

    /** The avatar URL shown with every message (Viber recommends under 100 KB, 720x720). */
    private String senderAvatar;

    /** The public HTTPS URL Viber calls (the channel's webhook path); registered with set_webhook at start when set. */
    private String webhookUrl;

    /** A plain text welcome message answered to conversation_started; unset: none. */
    private String welcomeText;

    /**
     * Whether the bot is on Viber's commercial terms (every bot created since 5 February 2024): sends outside the
     * session window are billed.
     */
    private boolean commercial = true;

    /** How long after a customer's last message replies are free session messages. */
    private Duration sessionWindow = Duration.ofHours(24);

    /** The send rate declared to the outbox, per second. */
    private int requestsPerSecond = 20;

    /** Where the Viber API methods live (a fake in tests). */
    private String apiBaseUrl = "https://chatapi.viber.com/pa";

    public String getAuthToken() {
        return authToken;
    }

    public void setAuthToken(String authToken) {
        this.authToken = authToken;
    }

    public String getSenderName() {
        return senderName;
    }

    public void setSenderName(String senderName) {
        this.senderName = senderName;
    }

    public String getSenderAvatar() {
        return senderAvatar;
    }

    public void setSenderAvatar(String senderAvatar) {
        this.senderAvatar = senderAvatar;
    }

    public String getWebhookUrl() {
        return webhookUrl;
    }

    public void setWebhookUrl(String webhookUrl) {
        this.webhookUrl = webhookUrl;
    }

    public String getWelcomeText() {
        return welcomeText;
    }

    public void setWelcomeText(String welcomeText) {
        this.welcomeText = welcomeText;
    }

    public boolean isCommercial() {
        return commercial;
    }

    public void setCommercial(boolean commercial) {
        this.commercial = commercial;
    }

    public Duration getSessionWindow() {
        return sessionWindow;
    }

    public void setSessionWindow(Duration sessionWindow) {
        this.sessionWindow = sessionWindow;
    }

    public int getRequestsPerSecond() {
        return requestsPerSecond;
    }

    public void setRequestsPerSecond(int requestsPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
    }

    public String getApiBaseUrl() {
        return apiBaseUrl;
    }

    public void setApiBaseUrl(String apiBaseUrl) {
        this.apiBaseUrl = apiBaseUrl;
    }
}
