package dev.switchboard.channel;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an inbound message says about which conversation it continues: the platform ids of messages it replies to or
 * references (email In-Reply-To/References, a Telegram reply), and a conversation token we planted earlier (an email
 * subject tag {@code [#AB12CD]} or plus-address). The inbox resolves these against stored messages.
 */
public record ThreadHints(List<String> referencedPlatformMessageIds, Optional<String> conversationToken,
                          Optional<String> subject) {
    public static final ThreadHints NONE = new ThreadHints(List.of(), Optional.empty(), Optional.empty());

    public ThreadHints {
        referencedPlatformMessageIds = List.copyOf(referencedPlatformMessageIds);
        Objects.requireNonNull(conversationToken, "conversationToken");
        Objects.requireNonNull(subject, "subject");
    }

    public static ThreadHints replyTo(String platformMessageId) {
        return new ThreadHints(List.of(platformMessageId), Optional.empty(), Optional.empty());
    }
}
