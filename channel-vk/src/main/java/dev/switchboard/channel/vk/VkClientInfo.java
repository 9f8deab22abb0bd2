package dev.switchboard.channel.vk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a customer's VK client can show, from the {@code client_info} of their last {@code message_new}: keyboards,
 * inline keyboards, carousels, the button action types, and the interface language. The sender renders keyboards for
 * it (inline, else a standard keyboard, else numbered choices in the text).
 */
record VkClientInfo(Set<String> buttonActions, boolean keyboard, boolean inlineKeyboard, boolean carousel,
                    Optional<String> language) {
    /** A client we know nothing about: VK's current apps, which support every keyboard. */
    static final VkClientInfo MODERN = new VkClientInfo(Set.of("text", "callback", "open_link", "location"), true,
            true, true, Optional.empty());

    VkClientInfo {
        buttonActions = Set.copyOf(buttonActions);
    }

    boolean supports(String action) {
        return buttonActions.contains(action);
    }

    static Optional<VkClientInfo> parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        Set<String> actions = new HashSet<>();
        node.path("button_actions").forEach(a -> actions.add(a.asText()));
        return Optional.of(new VkClientInfo(actions, node.path("keyboard").asBoolean(false),
                node.path("inline_keyboard").asBoolean(false), node.path("carousel").asBoolean(false),
                language(node.path("lang_id"))));
    }

    /** VK's {@code lang_id} as an ISO 639-1 code, for the languages VK documents. */
    static Optional<String> language(JsonNode langId) {
        if (!langId.isInt()) {
            return Optional.empty();
        }
        return switch (langId.asInt()) {
            case 0 -> Optional.of("ru");
            case 1 -> Optional.of("uk");
            case 2 -> Optional.of("be");
            case 3 -> Optional.of("en");
            case 4 -> Optional.of("es");
            case 5 -> Optional.of("fi");
            case 6 -> Optional.of("de");
            case 7 -> Optional.of("it");
            default -> Optional.empty();
        };
    }
}
