package dev.switchboard.channel.webchat;

import java.time.Instant;
import java.util.Objects;

/**
 * A file kept by a {@link WebchatFileStore}: a visitor's upload or a file an agent sent. {@code mimeType} is the type
 * the server detected from the bytes ({@link dev.switchboard.channel.SafeMedia}), never the uploader's claim.
 *
 * @param id the unguessable file id used in {@code /webchat/files/{id}}
 * @param sessionId the visitor session the file belongs to; only that session's token may download it
 * @param name the cleaned file name (no path, quotes or control characters)
 * @param size the length in bytes
 */
public record WebchatFile(String id, String sessionId, String name, String mimeType, long size, Instant createdAt) {
    public WebchatFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!id.matches("[A-Za-z0-9-]{8,64}")) {
            throw new IllegalArgumentException("a file id must be 8-64 characters of [A-Za-z0-9-]");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
    }
}
