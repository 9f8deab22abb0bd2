package dev.switchboard.content;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An image, file, audio, voice note, video or sticker, with what we know of it and where to get its bytes.
 *
 * @param contentId the id the message's own body uses to show this file inline (an email's {@code Content-ID},
 *                  without angle brackets, which an HTML body references as {@code cid:...}), when it has one
 * @param inline the sender meant it to be shown inside the message body rather than as an attachment
 */
public record Media(MediaKind kind, String mimeType, Optional<String> fileName, OptionalLong sizeBytes,
                    MediaSource source, Optional<Text> caption, Optional<String> contentId, boolean inline)
        implements Part {
    public Media {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(sizeBytes, "sizeBytes");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(caption, "caption");
        // rows stored before the field existed read it as absent
        contentId = contentId == null ? Optional.empty() : contentId;
    }

    /** A media part shown as an attachment, without a content id. */
    public Media(MediaKind kind, String mimeType, Optional<String> fileName, OptionalLong sizeBytes,
                 MediaSource source, Optional<Text> caption) {
        this(kind, mimeType, fileName, sizeBytes, source, caption, Optional.empty(), false);
    }

    /** A media part with only a kind, a MIME type and a source. */
    public static Media of(MediaKind kind, String mimeType, MediaSource source) {
        return new Media(kind, mimeType, Optional.empty(), OptionalLong.empty(), source, Optional.empty());
    }

    /** This media with a file name. */
    public Media withFileName(String name) {
        return new Media(kind, mimeType, Optional.of(name), sizeBytes, source, caption, contentId, inline);
    }

    /** This media with a caption. */
    public Media withCaption(Text caption) {
        return new Media(kind, mimeType, fileName, sizeBytes, source, Optional.of(caption), contentId, inline);
    }

    /** This media shown inline under {@code contentId} (an email's Content-ID, without angle brackets). */
    public Media withInline(String contentId) {
        return withInline(Optional.of(Objects.requireNonNull(contentId, "contentId")));
    }

    /** This media shown inline, without a content id. */
    public Media withInline() {
        return withInline(Optional.empty());
    }

    /**
     * This media shown inline under an optional content id.
     *
     * @deprecated use {@link #withInline(String)} or {@link #withInline()}
     */
    @Deprecated(since = "0.9", forRemoval = true)
    public Media withInline(Optional<String> contentId) {
        return new Media(kind, mimeType, fileName, sizeBytes, source, caption, contentId, true);
    }

    /** This media without its caption (the renderer sends a caption that does not fit as its own bubble). */
    public Media withoutCaption() {
        return new Media(kind, mimeType, fileName, sizeBytes, source, Optional.empty(), contentId, inline);
    }

    @Override
    public String plainText() {
        return caption.map(Text::plainText).orElse("");
    }
}
