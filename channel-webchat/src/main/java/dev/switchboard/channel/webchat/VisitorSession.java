package dev.switchboard.channel.webchat;

import dev.switchboard.model.Evidence;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A website visitor's chat session: the conversation a widget keeps its token for. An anonymous visitor has no
 * {@code verifiedUserId}; a logged-in user of the host site whose signed identity checked out has one, and only then
 * do the visitor's messages carry verified identity evidence.
 *
 * @param id the session id, also the visitor's platform user id on the channel
 * @param origin the page origin the session was created from, when the browser sent one
 * @param evidence what every message of the session carries besides the user id: a signed phone or email as
 *                 verified evidence, pre-chat form fields the visitor typed as unverified evidence
 */
public record VisitorSession(String id, Instant createdAt, Optional<String> origin, Optional<String> verifiedUserId,
                             Optional<String> displayName, Optional<String> language, List<Evidence> evidence) {
    public VisitorSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(verifiedUserId, "verifiedUserId");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(language, "language");
        evidence = List.copyOf(evidence);
    }

    /** A session without contact evidence (anonymous, or a verified user id only). */
    public VisitorSession(String id, Instant createdAt, Optional<String> origin, Optional<String> verifiedUserId,
                          Optional<String> displayName, Optional<String> language) {
        this(id, createdAt, origin, verifiedUserId, displayName, language, List.of());
    }

    /** Whether a host-signed user id came with the session. */
    public boolean verified() {
        return verifiedUserId.isPresent();
    }
}
