package dev.switchboard.channel.vk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.content.Choice;

/**
 * Writes one VK button (of a keyboard or a carousel card): a link as {@code open_link} where the client has it,
 * otherwise a {@code callback} button (or {@code text} for clients without callbacks) whose payload carries the
 * choice's postback, refused when its payload is over VK's 255 characters rather than letting VK answer 911.
 */
final class VkButtons {
    static final int MAX_LABEL = 40;
    static final int MAX_PAYLOAD = 255;

    private VkButtons() {
    }

    /** Fills {@code button} ({@code action}, and {@code color} for payload buttons). */
    static void fill(ObjectMapper json, ObjectNode button, Choice choice, VkClientInfo client, boolean callback,
                     boolean primary) {
        ObjectNode action = button.putObject("action");
        String label = choice.label().length() > MAX_LABEL ? choice.label().substring(0, MAX_LABEL) : choice.label();
        if (choice.action() instanceof Choice.OpenLink link && client.supports("open_link")) {
            action.put("type", "open_link").put("link", link.uri().toString()).put("label", label);
            return;
        }
        String payload = choice.action() instanceof Choice.Postback p ? p.payload() : choice.label();
        String encoded = json.createObjectNode().put(VkInboundMapper.PAYLOAD_KEY, payload).toString();
        if (encoded.length() > MAX_PAYLOAD) {
            throw VkApiError.invalid("messages.send: the payload of button '" + label + "' is "
                    + encoded.length() + " characters as VK JSON, over VK's " + MAX_PAYLOAD);
        }
        action.put("type", callback ? "callback" : "text").put("label", label).put("payload", encoded);
        button.put("color", primary ? "primary" : "secondary");
    }
}
