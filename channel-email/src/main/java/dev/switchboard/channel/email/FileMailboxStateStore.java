package dev.switchboard.channel.email;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link MailboxStateStore} keeping one tiny file per mailbox ({@code uidValidity lastUid}) in a directory. A save
 * writes a temporary file, forces it to disk and renames it over the old one, so a crash leaves either the old or
 * the new state, never a torn one.
 */
public final class FileMailboxStateStore implements MailboxStateStore {
    private final Path directory;

    public FileMailboxStateStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public synchronized Optional<MailboxState> load(String key) {
        Path file = fileFor(key);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String[] fields = Files.readString(file, StandardCharsets.US_ASCII).trim().split("\\s+");
            if (fields.length != 2) {
                throw new IllegalStateException("corrupt mailbox state file " + file);
            }
            return Optional.of(new MailboxState(Long.parseLong(fields[0]), Long.parseLong(fields[1])));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mailbox state " + file, e);
        }
    }

    @Override
    public synchronized void save(String key, MailboxState state) {
        Path file = fileFor(key);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(directory);
            byte[] bytes = (state.uidValidity() + " " + state.lastUid() + "\n").getBytes(StandardCharsets.US_ASCII);
            // a stream, not a FileChannel: a FileChannel closes itself when the calling thread is interrupted, and
            // a receiver being stopped is interrupted right after a commit whose cursor must still be saved
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                out.write(bytes);
                out.getFD().sync();
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write mailbox state " + file, e);
        }
    }

    /** Keys contain '/' and '@'; hex keeps file names safe and unambiguous. */
    private Path fileFor(String key) {
        return directory.resolve("mailbox-" + HexFormat.of().formatHex(key.getBytes(StandardCharsets.UTF_8))
                + ".state");
    }

    @Override
    public String toString() {
        return "FileMailboxStateStore[" + directory + "]";
    }
}
