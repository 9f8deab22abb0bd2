package dev.switchboard.channel.viber;

import dev.switchboard.content.Content;
import java.util.Optional;

/**
 * The host's welcome message for a customer who opened the conversation with the bot ({@code conversation_started}).
 * Viber allows exactly one message before the customer subscribes, returned in the callback's HTTP response, so the
 * channel calls this on the request thread after the inbox committed the event and renders the answer for Viber
 * (its first bubble is the welcome message). Must be quick (Viber waits a few seconds) and must not block on I/O.
 * Return empty to send no welcome message.
 */
@FunctionalInterface
public interface ViberWelcome {

    /** The welcome message for {@code start}, or empty for none. */
    Optional<Content> welcome(ViberConversationStart start);

    /** The same content for every customer. */
    static ViberWelcome always(Content content) {
        Optional<Content> answer = Optional.of(content);
        return start -> answer;
    }
}
