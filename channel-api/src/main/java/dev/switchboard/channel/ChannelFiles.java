package dev.switchboard.channel;

import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelId;
import java.util.Optional;

/**
 * The check every channel's {@link Channel#fetchMedia} makes first: a {@link MediaSource.PlatformFile} names the
 * channel that received it, and platform file ids are valid only for that account (another bot's Telegram file id,
 * another mailbox's attachment), so a channel refuses another channel's file with one non-retryable failure naming
 * both channels instead of asking its platform and failing in a platform-specific way. Stateless.
 */
public final class ChannelFiles {
    private ChannelFiles() {
    }

    /**
     * Whether {@code file} was received by channel {@code self}, so its platform file id is valid for it: the check a
     * channel makes before fetching a file and before sending one by its platform id (re-sending another bot's
     * Telegram file id fails on the platform with an unhelpful error).
     */
    public static boolean isOwn(ChannelId self, MediaSource.PlatformFile file) {
        return file.channel().equals(self);
    }

    /**
     * The failure to complete {@code fetchMedia} with when {@code file} belongs to another channel than {@code self};
     * empty when it is this channel's own file.
     */
    public static Optional<ChannelException> refuseForeign(ChannelId self, MediaSource.PlatformFile file) {
        if (isOwn(self, file)) {
            return Optional.empty();
        }
        return Optional.of(new ChannelException(SendFailure.of(FailureKind.INVALID_REQUEST, "foreign_file",
                "file belongs to channel " + file.channel() + ", not " + self)));
    }
}
