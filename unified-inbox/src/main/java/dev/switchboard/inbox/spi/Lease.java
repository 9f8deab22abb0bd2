package dev.switchboard.inbox.spi;

/**
 * The right to run one polling channel on this node. Held until {@link #release()} or until the node dies, after
 * which another node acquires it (within 30 seconds).
 */
public interface Lease extends AutoCloseable {

    String name();

    /** Whether this node still holds the lease (false after release or a lost connection). */
    boolean isHeld();

    void release();

    @Override
    default void close() {
        release();
    }
}
