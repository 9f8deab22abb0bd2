package dev.switchboard.render;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.content.Content;

/**
 * Turns channel-neutral {@link Content} into the {@link Bubble}s a channel can show, given its {@link Capabilities}:
 * splits text over the length limit on paragraph and sentence boundaries, escapes markup for the channel's flavour,
 * degrades buttons to a numbered list (recording a {@link ChoiceMap}), locations to a map link, unsupported media to a
 * link. Nothing is ever dropped silently: what cannot be shown natively is shown as text. Stateless and thread-safe.
 */
public final class Renderer {

    public static Renderer standard() {
        return new Renderer();
    }

    public RenderedMessage render(Content content, Capabilities capabilities) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
