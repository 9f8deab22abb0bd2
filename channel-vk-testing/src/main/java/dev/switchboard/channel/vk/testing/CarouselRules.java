package dev.switchboard.channel.vk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * VK's rules for a {@code messages.send} {@code template} of type {@code carousel}, as the fake enforces them: 1-10
 * elements; {@code title} and {@code description} at most 80 characters; a {@code photo_id} of an uploaded photo, or
 * a title and a description; {@code action} {@code open_link} (with {@code link}) or {@code open_photo} (with a
 * photo); 1-3 {@code buttons}, each a valid keyboard button; every element with the same set of fields. VK refuses a
 * template that breaks them with error 100.
 */
final class CarouselRules {
    private static final int MAX_ELEMENTS = 10;
    private static final int MAX_TEXT = 80;
    private static final int MAX_BUTTONS = 3;

    private CarouselRules() {
    }

    /**
     * Why VK would refuse {@code template}, or empty when it is valid; the button labels are added to {@code labels}.
     *
     * @param photoExists whether a {@code photo_id} names a photo saved through the upload flow
     * @param validButton whether one button object is valid as a keyboard button
     */
    static Optional<String> violation(ObjectMapper json, String template, Predicate<String> photoExists,
                                      Predicate<JsonNode> validButton, List<String> labels) {
        JsonNode root;
        try {
            root = json.readTree(template);
        } catch (IOException e) {
            return Optional.of("template is not JSON");
        }
        if (!"carousel".equals(root.path("type").asText())) {
            return Optional.of("template type must be carousel");
        }
        JsonNode elements = root.path("elements");
        if (!elements.isArray() || elements.isEmpty() || elements.size() > MAX_ELEMENTS) {
            return Optional.of("carousel must have 1-" + MAX_ELEMENTS + " elements");
        }
        Set<String> firstFields = null;
        List<String> found = new ArrayList<>();
        for (JsonNode element : elements) {
            Set<String> fields = new TreeSet<>();
            for (Iterator<String> it = element.fieldNames(); it.hasNext(); ) {
                fields.add(it.next());
            }
            if (firstFields == null) {
                firstFields = fields;
            } else if (!firstFields.equals(fields)) {
                return Optional.of("all carousel elements must have the same fields: " + firstFields + " vs "
                        + fields);
            }
            String title = element.path("title").asText("");
            String description = element.path("description").asText("");
            if (title.length() > MAX_TEXT || description.length() > MAX_TEXT) {
                return Optional.of("carousel title and description must be at most " + MAX_TEXT + " characters");
            }
            boolean photo = element.has("photo_id");
            if (photo && !photoExists.test(element.path("photo_id").asText())) {
                return Optional.of("photo_id " + element.path("photo_id").asText() + " is not an uploaded photo");
            }
            if (!photo && (title.isEmpty() || description.isEmpty())) {
                return Optional.of("a carousel element needs photo_id, or title and description");
            }
            if (element.has("action")) {
                String type = element.path("action").path("type").asText("");
                boolean valid = type.equals("open_link") ? element.path("action").path("link").isTextual()
                        : type.equals("open_photo") && photo;
                if (!valid) {
                    return Optional.of("carousel element action must be open_link with a link or open_photo "
                            + "with a photo");
                }
            }
            JsonNode buttons = element.path("buttons");
            if (!buttons.isArray() || buttons.isEmpty() || buttons.size() > MAX_BUTTONS) {
                return Optional.of("a carousel element must have 1-" + MAX_BUTTONS + " buttons");
            }
            for (JsonNode button : buttons) {
                if (!validButton.test(button)) {
                    return Optional.of("invalid carousel button " + button);
                }
                found.add(button.path("action").path("label").asText(""));
            }
        }
        labels.addAll(found);
        return Optional.empty();
    }
}
