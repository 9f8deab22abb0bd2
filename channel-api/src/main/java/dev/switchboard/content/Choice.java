package dev.switchboard.content;

import java.net.URI;
import java.util.Objects;

/** One button or quick reply: a label and what pressing it does. */
public record Choice(String label, Action action) {
    public Choice {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(action, "action");
        if (label.isBlank()) {
            throw new IllegalArgumentException("choice label must not be blank");
        }
    }

    public static Choice postback(String label, String payload) {
        return new Choice(label, new Postback(payload));
    }

    public static Choice link(String label, URI uri) {
        return new Choice(label, new OpenLink(uri));
    }

    public static Choice sharePhone(String label) {
        return new Choice(label, new SharePhone());
    }

    /** What a choice does when picked. */
    public sealed interface Action permits Postback, OpenLink, SharePhone {}

    /** Sends {@code payload} back to us as a postback event. */
    public record Postback(String payload) implements Action {
        public Postback {
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** Opens a URL in the customer's client. */
    public record OpenLink(URI uri) implements Action {
        public OpenLink {
            Objects.requireNonNull(uri, "uri");
        }
    }

    /** Asks the platform to share the customer's own phone number (verified evidence where the platform vouches). */
    public record SharePhone() implements Action {}
}
