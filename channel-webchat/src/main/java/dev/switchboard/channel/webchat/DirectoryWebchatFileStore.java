package dev.switchboard.channel.webchat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link WebchatFileStore} on the file system: each file is {@code <id>.bin} with its metadata in
 * {@code <id>.properties}, both owner-only where the file system supports POSIX permissions, bounded by a total size
 * (default 1 GiB). Files survive restarts; {@link #purgeCreatedBefore} deletes expired ones. For one node (or a shared
 * volume); a cluster without one plugs an object store instead. Thread-safe.
 */
public final class DirectoryWebchatFileStore implements WebchatFileStore {
    /** The default bound: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1024L * 1024 * 1024;
    private final Path dir;
    private final long maxBytes;
    private final AtomicLong total = new AtomicLong();

    /** A store in {@code directory} (created if missing) of at most {@link #DEFAULT_MAX_BYTES}. */
    public DirectoryWebchatFileStore(Path directory) {
        this(directory, DEFAULT_MAX_BYTES);
    }

    /** A store in {@code directory} (created if missing) holding at most {@code maxBytes} bytes of files. */
    public DirectoryWebchatFileStore(Path directory, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.dir = directory.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
            long sum = 0;
            try (DirectoryStream<Path> bins = Files.newDirectoryStream(dir, "*.bin")) {
                for (Path p : bins) {
                    sum += Files.size(p);
                }
            }
            total.set(sum);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the webchat file directory " + dir, e);
        }
    }

    @Override
    public void put(WebchatFile file, byte[] bytes) {
        long after = total.addAndGet(bytes.length);
        if (after > maxBytes) {
            total.addAndGet(-bytes.length);
            throw new StoreFullException("the file store holds at most " + maxBytes + " bytes");
        }
        try {
            write(dir.resolve(file.id() + ".bin"), out -> out.write(bytes));
            Properties p = new Properties();
            p.setProperty("sessionId", file.sessionId());
            p.setProperty("name", file.name());
            p.setProperty("mimeType", file.mimeType());
            p.setProperty("size", Long.toString(file.size()));
            p.setProperty("createdAt", file.createdAt().toString());
            write(dir.resolve(file.id() + ".properties"), out -> p.store(out, null));
        } catch (IOException e) {
            total.addAndGet(-bytes.length);
            throw new UncheckedIOException("cannot store webchat file " + file.id(), e);
        }
    }

    @Override
    public Optional<WebchatFile> describe(String id) {
        if (!validId(id)) {
            return Optional.empty();
        }
        Path meta = dir.resolve(id + ".properties");
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
            return Optional.of(new WebchatFile(id, p.getProperty("sessionId"), p.getProperty("name"),
                    p.getProperty("mimeType"), Long.parseLong(p.getProperty("size")),
                    Instant.parse(p.getProperty("createdAt"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<byte[]> read(String id) {
        if (!validId(id)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(dir.resolve(id + ".bin")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<WebchatFile> purgeCreatedBefore(Instant cutoff) {
        List<WebchatFile> dropped = new ArrayList<>();
        try (DirectoryStream<Path> metas = Files.newDirectoryStream(dir, "*.properties")) {
            for (Path meta : metas) {
                String name = meta.getFileName().toString();
                String id = name.substring(0, name.length() - ".properties".length());
                Optional<WebchatFile> f = describe(id);
                if (f.isPresent() && f.get().createdAt().isBefore(cutoff)) {
                    Path bin = dir.resolve(id + ".bin");
                    long size = Files.exists(bin) ? Files.size(bin) : 0;
                    Files.deleteIfExists(bin);
                    Files.deleteIfExists(meta);
                    total.addAndGet(-size);
                    dropped.add(f.get());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot purge the webchat file directory " + dir, e);
        }
        return dropped;
    }

    @Override
    public boolean delete(String id) {
        if (!validId(id)) {
            return true; // no file can have this id
        }
        try {
            Path bin = dir.resolve(id + ".bin");
            long size = Files.exists(bin) ? Files.size(bin) : 0;
            if (Files.deleteIfExists(bin)) {
                total.addAndGet(-size);
            }
            Files.deleteIfExists(dir.resolve(id + ".properties"));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete webchat file " + id + " in " + dir, e);
        }
    }

    @Override
    public long totalBytes() {
        return total.get();
    }

    private static boolean validId(String id) {
        return id.matches("[A-Za-z0-9-]{8,64}");
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private void write(Path target, Writer writer) throws IOException {
        Path tmp = Files.createTempFile(dir, ".upload-", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own permissions apply
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String toString() {
        return "DirectoryWebchatFileStore[" + dir + ", " + total.get() + "/" + maxBytes + " bytes]";
    }
}
