package dev.switchboard.channel.webchat;

/**
 * Receives what a visitor does that is not a message the inbox stores: typing, and the visitor's connection coming and
 * going. The host forwards these to its agent console. Called on transport threads: return quickly.
 */
public interface VisitorActivityListener {
    /** Does nothing. */
    VisitorActivityListener NONE = new VisitorActivityListener() {
    };

    default void typing(String sessionId, boolean typing) {
    }

    default void connected(String sessionId) {
    }

    default void disconnected(String sessionId) {
    }
}
