package dev.switchboard.channel.vk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
import java.util.List;
import java.util.Optional;

/**
 * Builds VK's {@code template} parameter for a carousel: {@code {"type":"carousel","elements":[...]}}, each element
 * with {@code title}, {@code description}, {@code photo_id} ({@code <owner>_<id>} of a photo uploaded through the
 * message photo flow), {@code action} ({@code open_link} to the card's default link, else {@code open_photo} when it
 * has a photo) and up to three {@code buttons}. The renderer has already checked VK's rules (10 elements, 3 buttons,
 * 80-character title and description, the same fields on every element, a button and a photo or description on
 * each), so every element written here has the same set of keys.
 */
final class VkCarousel {
    private VkCarousel() {
    }

    /**
     * The template JSON for {@code cards}.
     *
     * @param photoIds per card, in order, the {@code photo_id} of its uploaded image (empty for cards without one)
     */
    static ObjectNode template(ObjectMapper json, Cards cards, List<Optional<String>> photoIds, VkClientInfo client) {
        ObjectNode template = json.createObjectNode().put("type", "carousel");
        ArrayNode elements = template.putArray("elements");
        boolean callback = client.supports("callback");
        List<Card> list = cards.cards();
        for (int i = 0; i < list.size(); i++) {
            Card card = list.get(i);
            Optional<String> photo = photoIds.get(i);
            ObjectNode element = elements.addObject();
            element.put("title", card.title());
            card.description().ifPresent(d -> element.put("description", d));
            photo.ifPresent(p -> element.put("photo_id", p));
            if (card.defaultLink().isPresent()) {
                element.putObject("action").put("type", "open_link").put("link", card.defaultLink().get().toString());
            } else if (photo.isPresent()) {
                element.putObject("action").put("type", "open_photo");
            }
            if (!card.buttons().isEmpty()) {
                ArrayNode buttons = element.putArray("buttons");
                for (int b = 0; b < card.buttons().size(); b++) {
                    VkButtons.fill(json, buttons.addObject(), card.buttons().get(b), client, callback, b == 0);
                }
            }
        }
        return template;
    }

    /** A carousel's {@code photo_id} from a message attachment string: {@code photo-1_2_key} -> {@code -1_2}. */
    static String photoId(String attachment) {
        if (!attachment.startsWith("photo")) {
            throw VkApiError.invalid("messages.send: a carousel image must be a photo, got " + attachment);
        }
        String[] parts = attachment.substring("photo".length()).split("_");
        if (parts.length < 2) {
            throw VkApiError.invalid("messages.send: malformed photo attachment " + attachment);
        }
        return parts[0] + "_" + parts[1];
    }
}
