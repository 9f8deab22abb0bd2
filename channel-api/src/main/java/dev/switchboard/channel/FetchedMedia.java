package dev.switchboard.channel;

import java.util.Objects;
import java.util.Optional;

/** The bytes of a media file fetched from a platform, with what the platform said its type and name are. */
public record FetchedMedia(byte[] bytes, String mimeType, Optional<String> fileName) {
    public FetchedMedia {
        bytes = bytes.clone();
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(fileName, "fileName");
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FetchedMedia f && java.util.Arrays.equals(bytes, f.bytes) && mimeType.equals(f.mimeType)
                && fileName.equals(f.fileName);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "FetchedMedia[" + bytes.length + " bytes, " + mimeType + "]";
    }
}
