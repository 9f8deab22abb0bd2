package dev.switchboard.inbox.privacy;

import dev.switchboard.content.Media;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.Message;
import java.net.URI;
import java.util.Optional;

/**
 * Where a transcript email links an attachment of the conversation: a host that serves the files (a website chat's
 * file URL, a signed download link of its own) returns the address; empty leaves the attachment named but not linked.
 * {@link #urlsOnly()} links media that already are public URLs and nothing else.
 */
@FunctionalInterface
public interface TranscriptLinks {
    /** The link of the {@code index}-th media part of {@code message}, empty when it should not be linked. */
    Optional<URI> link(Message message, int index, Media media);

    /** Links media whose source is a URL; platform files and inline bytes are only named. */
    static TranscriptLinks urlsOnly() {
        return (message, index, media) -> media.source() instanceof MediaSource.Url url
                ? Optional.of(url.uri()) : Optional.empty();
    }
}
