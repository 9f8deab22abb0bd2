package dev.switchboard.content;

import dev.switchboard.model.ChannelId;
import java.net.URI;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where a media file's bytes can be had: a URL, a file held by a platform (fetched later through the channel that
 * received it, never eagerly), or bytes carried inline (for uploads).
 */
public sealed interface MediaSource permits MediaSource.Url, MediaSource.PlatformFile, MediaSource.Inline {

    /** A file anyone can fetch by URL. */
    record Url(URI uri) implements MediaSource {
        public Url {
            Objects.requireNonNull(uri, "uri");
        }
    }

    /** A file held by a platform, fetchable through {@code Channel.fetchMedia} of the channel that saw it. */
    record PlatformFile(ChannelId channel, String fileId) implements MediaSource {
        public PlatformFile {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(fileId, "fileId");
        }
    }

    /** Bytes carried with the message, for uploads. */
    record Inline(byte[] bytes) implements MediaSource {
        public Inline {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public int size() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Inline other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Inline[" + bytes.length + " bytes]";
        }
    }
}
