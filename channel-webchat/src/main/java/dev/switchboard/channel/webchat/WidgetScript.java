package dev.switchboard.channel.webchat;

import dev.switchboard.channel.WebhookResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The embeddable widget ({@code <base>/widget.js}), read once from the jar and served to any page (the script itself
 * is public; what it may do is decided by the allowed origins on the chat's other routes). Immutable.
 */
final class WidgetScript {
    private final byte[] script = load();

    WebhookResponse response() {
        return new WebhookResponse(200, Map.of("Content-Type", List.of("application/javascript; charset=utf-8"),
                "Cache-Control", List.of("max-age=300"), "Access-Control-Allow-Origin", List.of("*")), script);
    }

    private static byte[] load() {
        try (InputStream in = WidgetScript.class.getResourceAsStream("widget.js")) {
            if (in == null) {
                throw new IllegalStateException("widget.js is missing from the channel-webchat jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read widget.js", e);
        }
    }
}
