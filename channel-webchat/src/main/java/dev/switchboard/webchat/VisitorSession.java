package dev.switchboard.webchat;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A website visitor's chat session: the conversation a widget keeps its token for. An anonymous visitor has no
 * {@code verifiedUserId}; a logged-in user of the host site whose {@code user_hash} checked out has one, and only then
 * do the visitor's messages carry verified identity evidence.
 *
 * @param id the session id, also the visitor's platform user id on the channel
 * @param origin the page origin the session was created from, when the browser sent one
 */
public record VisitorSession(String id, Instant createdAt, Optional<String> origin, Optional<String> verifiedUserId,
                             Optional<String> displayName, Optional<String> language) {
    public VisitorSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(verifiedUserId, "verifiedUserId");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(language, "language");
    }

    public boolean verified() {
        return verifiedUserId.isPresent();
    }
}
