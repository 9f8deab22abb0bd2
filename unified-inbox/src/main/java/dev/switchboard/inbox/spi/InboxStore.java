package dev.switchboard.inbox.spi;

import dev.switchboard.store.TransactionalStore;
import java.util.Optional;

/**
 * Storage for the inbox: the base store plus the inbox's tables, in one transaction, and cluster leases for polling
 * channels. Implementations: in-memory (tests, single process) and JDBC (H2 embedded, PostgreSQL).
 */
public interface InboxStore extends TransactionalStore<InboxTransaction>, AutoCloseable {

    /**
     * Tries to take the lease {@code name} for {@code owner} (a node id). Empty when another live node holds it.
     * PostgreSQL uses a session advisory lock, released by the server when the holder's connection dies.
     */
    Optional<Lease> tryAcquireLease(String name, String owner);

    @Override
    void close();
}
