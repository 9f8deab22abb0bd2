package dev.switchboard.channel.webchat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the website chat keeps uploaded and agent-sent files, outside the conversation log. The endpoint enforces the
 * upload quotas ({@link UploadLimits}) before it calls {@link #put}; a store only has to keep bytes and metadata,
 * refuse when it is full, and drop what is older than the retention on {@link #purgeCreatedBefore}. Two
 * implementations ship: {@link InMemoryWebchatFileStore} (bounded, for tests and small hosts) and
 * {@link DirectoryWebchatFileStore} (files on disk, for the demo and single-node production); a cluster plugs its own
 * (S3, a database) or puts the directory on a shared volume: every node of one chat must read the same bytes. When the
 * channel is bound to a shared channel state, file metadata also lives there, so a store of bytes only (whose
 * {@link #describe} knows nothing) is enough. Implementations must be thread-safe.
 */
public interface WebchatFileStore {
    /**
     * Keeps {@code bytes} under {@code file.id()}.
     *
     * @throws StoreFullException when the store has no room for it (the visitor gets {@code storage_full})
     * @throws java.io.UncheckedIOException when the bytes could not be written
     */
    void put(WebchatFile file, byte[] bytes);

    /** The metadata of a file, if it is still kept. */
    Optional<WebchatFile> describe(String id);

    /** The bytes of a file, if it is still kept. */
    Optional<byte[]> read(String id);

    /** Drops every file created before {@code cutoff} and returns what was dropped. */
    List<WebchatFile> purgeCreatedBefore(Instant cutoff);

    /**
     * Deletes one file (a customer's erasure); true when it is gone now, also when it was never kept. Stores that
     * cannot delete single files inherit this default, which returns false: the erasure then counts the file as kept
     * until {@link #purgeCreatedBefore} drops it with the retention.
     */
    default boolean delete(String id) {
        return false;
    }

    /** The bytes currently kept. */
    long totalBytes();

    /** Thrown by {@link #put} when the store is full. */
    final class StoreFullException extends RuntimeException {
        /** {@code message} says which bound was hit. */
        public StoreFullException(String message) {
            super(message);
        }
    }
}
