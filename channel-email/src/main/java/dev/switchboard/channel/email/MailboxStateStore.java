package dev.switchboard.channel.email;

import java.util.Optional;

/**
 * Where the email channel keeps each mailbox's {@link MailboxState} between runs, so a restart neither loses nor
 * repeats a message. The key is the channel id plus folder. The inbox's cluster lease guarantees only one node reads
 * a mailbox at a time, so implementations need no cross-node locking. Implementations must be thread-safe and
 * {@link #save} must be durable when it returns.
 */
public interface MailboxStateStore {

    Optional<MailboxState> load(String key);

    void save(String key, MailboxState state);

    /** A store that forgets everything when the JVM exits; the default, for tests and single-run hosts. */
    static MailboxStateStore inMemory() {
        return new InMemoryMailboxStateStore();
    }

    /** A store keeping one small properties file per mailbox under {@code directory}. */
    static MailboxStateStore files(java.nio.file.Path directory) {
        return new FileMailboxStateStore(directory);
    }
}
