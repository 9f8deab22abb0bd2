package dev.switchboard.spring.boot;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.vk.VkChannel;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes {@code vk} channels from {@link VkProperties}: a community id and access token (required), Bots Long Poll or
 * the Callback API with its secret. Messages name the property, never the token or the secret. Stateless and
 * thread-safe.
 */
public final class VkChannelFactory implements ChannelFactory {

    /** Creates the factory. */
    public VkChannelFactory() {
    }

    @Override
    public String type() {
        return "vk";
    }

    @Override
    public Channel create(TenantId tenant, ChannelId id, SwitchboardProperties.ChannelProperties properties,
                         String property) {
        VkProperties vk = properties.getVk();
        String p = property + ".vk.";
        List<String> problems = new ArrayList<>();
        if (vk.getGroupId() == null) {
            problems.add(p + "group-id: is required for a vk channel (the community's positive id)");
        }
        if (isBlank(vk.getAccessToken())) {
            problems.add(p + "access-token: is required for a vk channel (a community access token)");
        }
        boolean callback = vk.getMode() == VkProperties.VkReceive.CALLBACK;
        if (callback && isBlank(vk.getCallbackSecret())) {
            problems.add(p + "callback-secret: is required in CALLBACK mode (the Callback API secret key)");
        }
        if (!problems.isEmpty()) {
            throw new SwitchboardConfigurationException(problems);
        }
        VkChannel.Builder b = VkChannel.builder().id(id).tenant(tenant).groupId(vk.getGroupId())
                .accessToken(vk.getAccessToken().strip()).apiBaseUrl(vk.getApiBaseUrl())
                .longPollWait(vk.getLongPollWait()).requestsPerSecond(vk.getRequestsPerSecond());
        if (callback) {
            b.callback(vk.getCallbackSecret().strip(), isBlank(vk.getConfirmationCode()) ? null
                    : vk.getConfirmationCode().strip());
        } else {
            b.longPoll();
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the builder names the option and never shows the token or the secret
            throw new SwitchboardConfigurationException(p + "*", e.getMessage());
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
