package dev.switchboard.channel.webchat;

import java.time.Duration;
import java.util.Objects;

/**
 * How much a website chat lets visitors upload, on top of the per-file limit in {@link WebchatLimits}: files and bytes
 * per session and per IP address, bytes in total, and how long a file is kept. An upload over a bound gets the
 * visitor an error code ({@code upload_quota_exceeded}, {@code storage_full}) and stores nothing; expired files are
 * deleted from the {@link WebchatFileStore} and their downloads answer 404.
 *
 * @param filesPerSession files one visitor session may have stored at once
 * @param bytesPerSession bytes one visitor session may have stored at once
 * @param filesPerAddress files all sessions of one IP address may have stored at once
 * @param bytesPerAddress bytes all sessions of one IP address may have stored at once
 * @param totalBytes bytes of visitor uploads all together
 * @param retention how long a file is kept after it was stored
 */
public record UploadLimits(int filesPerSession, long bytesPerSession, int filesPerAddress, long bytesPerAddress,
                           long totalBytes, Duration retention) {
    /** 20 files / 50 MiB per session, 60 files / 150 MiB per address, 1 GiB in total, kept 30 days. */
    public static final UploadLimits DEFAULT = new UploadLimits(20, 50L << 20, 60, 150L << 20, 1L << 30,
            Duration.ofDays(30));

    public UploadLimits {
        Objects.requireNonNull(retention, "retention");
        if (filesPerSession < 1 || bytesPerSession < 1 || filesPerAddress < 1 || bytesPerAddress < 1
                || totalBytes < 1) {
            throw new IllegalArgumentException("upload limits must be positive: filesPerSession=" + filesPerSession
                    + ", bytesPerSession=" + bytesPerSession + ", filesPerAddress=" + filesPerAddress
                    + ", bytesPerAddress=" + bytesPerAddress + ", totalBytes=" + totalBytes);
        }
        if (retention.isZero() || retention.isNegative()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
    }

    /** These limits with another per-session bound. */
    public UploadLimits perSession(int files, long bytes) {
        return new UploadLimits(files, bytes, filesPerAddress, bytesPerAddress, totalBytes, retention);
    }

    /** These limits with another per-address bound. */
    public UploadLimits perAddress(int files, long bytes) {
        return new UploadLimits(filesPerSession, bytesPerSession, files, bytes, totalBytes, retention);
    }

    /** These limits with another total. */
    public UploadLimits withTotalBytes(long bytes) {
        return new UploadLimits(filesPerSession, bytesPerSession, filesPerAddress, bytesPerAddress, bytes, retention);
    }

    /** These limits with another retention. */
    public UploadLimits withRetention(Duration retention) {
        return new UploadLimits(filesPerSession, bytesPerSession, filesPerAddress, bytesPerAddress, totalBytes,
                retention);
    }
}
