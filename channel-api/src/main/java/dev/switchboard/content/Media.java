package dev.switchboard.content;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** An image, file, audio, voice note, video or sticker, with what we know of it and where to get its bytes. */
public record Media(MediaKind kind, String mimeType, Optional<String> fileName, OptionalLong sizeBytes,
                    MediaSource source, Optional<Text> caption) implements Part {
    public Media {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(sizeBytes, "sizeBytes");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(caption, "caption");
    }

    public static Media of(MediaKind kind, String mimeType, MediaSource source) {
        return new Media(kind, mimeType, Optional.empty(), OptionalLong.empty(), source, Optional.empty());
    }

    public Media withFileName(String name) {
        return new Media(kind, mimeType, Optional.of(name), sizeBytes, source, caption);
    }

    public Media withCaption(Text caption) {
        return new Media(kind, mimeType, fileName, sizeBytes, source, Optional.of(caption));
    }

    @Override
    public String plainText() {
        return caption.map(Text::plainText).orElse("");
    }
}
