package dev.switchboard.inbox.spi;

import dev.switchboard.store.TransactionalStore;
import java.util.Optional;

/**
 * Storage for the inbox: the base store plus the inbox's tables, in one transaction, and cluster leases for polling
 * channels. Implementations: in-memory (tests, single process) and JDBC (H2 embedded, PostgreSQL). Implementations are
 * thread-safe and shared by every worker of an inbox (and, for a database, by every node).
 */
public interface InboxStore extends TransactionalStore<InboxTransaction>, AutoCloseable {

    /**
     * Tries to take the lease {@code name} for {@code owner} (a node id). Empty when another live node holds it.
     * PostgreSQL uses a session advisory lock, released by the server when the holder's connection dies.
     */
    Optional<Lease> tryAcquireLease(String name, String owner);

    /**
     * Whether a failure of {@link #inTransaction} may go away by itself (a lost connection, a timeout, a lock or
     * resource shortage), as opposed to one the data caused. The inbox quarantines an event that fails on its own only
     * when the failure is not transient; a transient one fails the delivery, and the platform delivers it again later.
     * The default knows no transient failures.
     */
    default boolean isTransient(Throwable failure) {
        return false;
    }

    /**
     * Whether this store keeps send-pace marks ({@link InboxTransaction#sendPaceMark(String)}), so every node sending
     * for one platform account paces against the same schedule and the nodes together stay within the platform's
     * limits. When false, each node paces on its own. The default is false.
     */
    default boolean sharesSendPacing() {
        return false;
    }

    /**
     * Whether this store keeps channel state ({@link InboxTransaction#channelStateRecord} and the other channel-state
     * methods), so the inbox binds every {@link dev.switchboard.channel.state.StatefulChannel} to records every node
     * shares. When false, each channel keeps its state in memory on each node. The default is false.
     */
    default boolean keepsChannelState() {
        return false;
    }

    /**
     * Calls {@code onAppend} soon after an entry appended to {@code tenant}'s channel log {@code log} commits, on
     * this node or another sharing the store (see {@link dev.switchboard.channel.state.ChannelState#watch} for what a
     * call means); empty when the store cannot tell, and readers poll. The in-memory store tells inboxes sharing the
     * store object; {@code JdbcInboxStore} tells every node on PostgreSQL ({@code LISTEN}/{@code NOTIFY}). The
     * default is empty.
     */
    default Optional<dev.switchboard.channel.state.ChannelState.Watch> watchChannelLog(
            dev.switchboard.model.TenantId tenant, dev.switchboard.model.ChannelId channel, String log,
            Runnable onAppend) {
        return Optional.empty();
    }

    @Override
    void close();
}
