package dev.switchboard.channel.webchat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link WebchatFileStore} in the heap with a hard bound on the bytes it holds (default 64 MiB): the default for
 * tests and for hosts whose visitors rarely attach files. Files are lost on restart. Thread-safe.
 */
public final class InMemoryWebchatFileStore implements WebchatFileStore {
    /** The default bound: 64 MiB. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    private final long maxBytes;
    private final Map<String, Entry> files = new LinkedHashMap<>();
    private long total;

    private record Entry(WebchatFile file, byte[] bytes) {
    }

    /** A store of at most {@link #DEFAULT_MAX_BYTES}. */
    public InMemoryWebchatFileStore() {
        this(DEFAULT_MAX_BYTES);
    }

    /** A store holding at most {@code maxBytes} bytes of files. */
    public InMemoryWebchatFileStore(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public synchronized void put(WebchatFile file, byte[] bytes) {
        if (total + bytes.length > maxBytes) {
            throw new StoreFullException("the in-memory file store holds at most " + maxBytes + " bytes");
        }
        Entry old = files.put(file.id(), new Entry(file, bytes.clone()));
        total += bytes.length - (old == null ? 0 : old.bytes.length);
    }

    @Override
    public synchronized Optional<WebchatFile> describe(String id) {
        Entry e = files.get(id);
        return e == null ? Optional.empty() : Optional.of(e.file);
    }

    @Override
    public synchronized Optional<byte[]> read(String id) {
        Entry e = files.get(id);
        return e == null ? Optional.empty() : Optional.of(e.bytes.clone());
    }

    @Override
    public synchronized List<WebchatFile> purgeCreatedBefore(Instant cutoff) {
        List<WebchatFile> dropped = new ArrayList<>();
        files.values().removeIf(e -> {
            if (e.file.createdAt().isBefore(cutoff)) {
                dropped.add(e.file);
                total -= e.bytes.length;
                return true;
            }
            return false;
        });
        return dropped;
    }

    @Override
    public synchronized boolean delete(String id) {
        Entry e = files.remove(id);
        if (e != null) {
            total -= e.bytes.length;
        }
        return true;
    }

    @Override
    public synchronized long totalBytes() {
        return total;
    }

    @Override
    public synchronized String toString() {
        return "InMemoryWebchatFileStore[" + files.size() + " files, " + total + "/" + maxBytes + " bytes]";
    }
}
