package dev.switchboard.channel.vk;

/**
 * How a {@link VkChannel} receives: VK pushes events to our Callback API endpoint (the host mounts
 * {@link VkChannel#webhook()}), or the channel pulls them with Bots Long Poll (the inbox runs it on the node holding the
 * channel's lease).
 */
public enum VkReceiveMode {
    /** VK POSTs every event to the community's Callback API server, our {@link VkWebhook}. */
    CALLBACK,
    /** The channel asks {@code groups.getLongPollServer} and waits on {@code a_check}: no public URL needed. */
    LONG_POLL
}
