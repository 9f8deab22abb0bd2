package dev.switchboard.spring.boot;

import java.time.Duration;

/**
 * A VK community's settings ({@code switchboard.tenants[].channels[].vk.*}, channel-vk): the community id and its
 * access token, and how events arrive, by Bots Long Poll (the default; no public URL needed) or through the Callback
 * API on the application's own server at {@code /webhooks/vk/<channel id>} (plus
 * {@code switchboard.webhooks.path-prefix}). The token and the callback secret are secrets: bind them from the
 * environment, e.g. {@code SWITCHBOARD_TENANTS_0_CHANNELS_0_VK_ACCESSTOKEN}; they are masked in the actuator.
 */
public class VkProperties {
    /** The community's (group's) positive id. */
    private Long groupId;

    /** The community access token (secret), with the rights messages, photos, docs and manage. */
    private String accessToken;

    /** LONG_POLL (Bots Long Poll API) or CALLBACK (VK POSTs events to the application's server). */
    private VkReceive mode = VkReceive.LONG_POLL;

    /** The Callback API secret key set in the community's settings (secret; required in CALLBACK mode). */
    private String callbackSecret;

    /** The confirmation string VK shows for the Callback API server; unset: fetched from VK when it asks. */
    private String confirmationCode;

    /** The VK API's method URL (a fake in tests). */
    private String apiBaseUrl = "https://api.vk.ru/method";

    /** The wait of a Bots Long Poll request, 1-90 s (VK recommends 25). */
    private Duration longPollWait = Duration.ofSeconds(25);

    /** The token's API calls per second (VK allows a community token 20). */
    private int requestsPerSecond = 20;

    public Long getGroupId() {
        return groupId;
    }

    public void setGroupId(Long groupId) {
        this.groupId = groupId;
    }

    public String getAccessToken() {
        return accessToken;
    }

    public void setAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    public VkReceive getMode() {
        return mode;
    }

    public void setMode(VkReceive mode) {
        this.mode = mode;
    }

    public String getCallbackSecret() {
        return callbackSecret;
    }

    public void setCallbackSecret(String callbackSecret) {
        this.callbackSecret = callbackSecret;
    }

    public String getConfirmationCode() {
        return confirmationCode;
    }

    public void setConfirmationCode(String confirmationCode) {
        this.confirmationCode = confirmationCode;
    }

    public String getApiBaseUrl() {
        return apiBaseUrl;
    }

    public void setApiBaseUrl(String apiBaseUrl) {
        this.apiBaseUrl = apiBaseUrl;
    }

    public Duration getLongPollWait() {
        return longPollWait;
    }

    public void setLongPollWait(Duration longPollWait) {
        this.longPollWait = longPollWait;
    }

    public int getRequestsPerSecond() {
        return requestsPerSecond;
    }

    public void setRequestsPerSecond(int requestsPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
    }

    /** How a VK community receives events. */
    public enum VkReceive {
        /** Bots Long Poll, on the node holding the channel's lease. */
        LONG_POLL,
        /** The Callback API: VK POSTs events to the channel's webhook on the application's server. */
        CALLBACK
    }
}
