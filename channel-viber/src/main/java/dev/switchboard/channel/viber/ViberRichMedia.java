package dev.switchboard.channel.viber;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.CardLimits;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Media;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Lays out a carousel as Viber rich media: one block of 6 columns by 7 rows per card, filled top to bottom with the
 * card's image (3 rows), its bold title and description, and one row per button, so every block is full and Viber
 * shows one card per swipe. Postback buttons are {@code reply} buttons: Viber sends their action body back as the
 * customer's message, so the body is the label (with the card's title when several cards carry the same label) and
 * maps back to the payload through the customer's offered choices. Link buttons open the URL; a card's default link
 * makes its image and text open it. Needs client API version 2.
 */
final class ViberRichMedia {
    /** The lowest client API version that shows rich media. */
    static final int API_VERSION = 2;
    /** Viber shows at most six blocks in one rich media message. */
    static final int MAX_CARDS = 6;
    static final int MAX_CELL_TEXT = 250;
    static final int COLUMNS = 6;
    static final int ROWS = 7;
    private static final int IMAGE_ROWS = 3;

    /** What the channel declares: six cards of up to three buttons; title and description fit one text cell. */
    static final CardLimits LIMITS = CardLimits.builder().maxCards(MAX_CARDS).maxButtonsPerCard(3)
            .maxTitleLength(60).maxDescriptionLength(150).build();

    /** The rich media object and the choices it offers (action body → payload). */
    record Built(List<Map<String, Object>> buttons, Map<String, String> offered) {
        ObjectNode richMedia(ObjectMapper json) {
            ObjectNode rich = json.createObjectNode().put("Type", "rich_media").put("ButtonsGroupColumns", COLUMNS)
                    .put("ButtonsGroupRows", ROWS).put("BgColor", "#FFFFFF");
            ArrayNode cells = rich.putArray("Buttons");
            for (Map<String, Object> b : buttons) {
                cells.add(json.valueToTree(b));
            }
            return rich;
        }
    }

    private ViberRichMedia() {
    }

    /** The layout of {@code cards}; {@code url} gives a sendable URL for an image (or throws). */
    static Built build(Cards cards, Function<Media, String> url) {
        Map<String, Integer> labelUse = new HashMap<>();
        for (Card card : cards.cards()) {
            card.buttons().stream().map(Choice::label).distinct().forEach(l -> labelUse.merge(l, 1, Integer::sum));
        }
        List<Map<String, Object>> cells = new ArrayList<>();
        Map<String, String> offered = new LinkedHashMap<>();
        for (Card card : cards.cards()) {
            int imageRows = card.image().isPresent() ? IMAGE_ROWS : 0;
            int textRows = ROWS - imageRows - card.buttons().size();
            String action = card.defaultLink().map(Object::toString).orElse(null);
            if (card.image().isPresent()) {
                Map<String, Object> image = cell(imageRows, action);
                image.put("Image", url.apply(card.image().get()));
                cells.add(image);
            }
            Map<String, Object> text = cell(textRows, action);
            text.put("Text", text(card));
            text.put("TextVAlign", "top");
            text.put("TextHAlign", "left");
            text.put("TextSize", "medium");
            cells.add(text);
            for (Choice choice : card.buttons()) {
                Map<String, Object> button = new LinkedHashMap<>();
                button.put("Columns", COLUMNS);
                button.put("Rows", 1);
                button.put("Text", escape(choice.label()));
                button.put("TextSize", "regular");
                if (choice.action() instanceof Choice.OpenLink link) {
                    button.put("ActionType", "open-url");
                    button.put("ActionBody", link.uri().toString());
                } else {
                    String body = actionBody(choice.label(), card.title(), labelUse, offered);
                    button.put("ActionType", "reply");
                    button.put("ActionBody", body);
                    offered.put(body, ((Choice.Postback) choice.action()).payload());
                }
                cells.add(button);
            }
        }
        return new Built(cells, offered);
    }

    private static Map<String, Object> cell(int rows, String link) {
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("Columns", COLUMNS);
        cell.put("Rows", rows);
        if (link != null) {
            cell.put("ActionType", "open-url");
            cell.put("ActionBody", link);
        } else {
            cell.put("ActionType", "none");
        }
        return cell;
    }

    /** A reply button's body: its label, or "label (title)" when several cards have that label, unique per message. */
    private static String actionBody(String label, String title, Map<String, Integer> labelUse,
                                     Map<String, String> offered) {
        String body = labelUse.getOrDefault(label, 0) > 1 ? label + " (" + title + ")" : label;
        String unique = body;
        for (int n = 2; offered.containsKey(unique); n++) {
            unique = body + " " + n;
        }
        return unique;
    }

    /** The bold title and the description, within one cell's 250 characters (the description is cut first). */
    static String text(Card card) {
        String title = "<b>" + escape(card.title()) + "</b>";
        if (card.description().isEmpty()) {
            return cut(title, MAX_CELL_TEXT);
        }
        String description = escape(card.description().get());
        int room = MAX_CELL_TEXT - title.length() - "<br>".length();
        if (room < 2) {
            return cut(title, MAX_CELL_TEXT);
        }
        return title + "<br>" + cut(description, room);
    }

    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        String head = s.substring(0, max - 1);
        int entity = head.lastIndexOf('&');
        if (entity >= 0 && head.indexOf(';', entity) < 0) {
            head = head.substring(0, entity); // never leave half an entity
        }
        return head + "…";
    }

    /** Viber's rich media text understands a few HTML tags; customer-visible text must not inject any. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
