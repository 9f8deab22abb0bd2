package dev.switchboard.channel.webchat;

import java.util.Optional;

/**
 * Whether the chat is answering: agents online (set by the host) and the site's business hours. Presence is state,
 * not history: it is broadcast when it changes and sent in every stream's {@code ready} frame, never replayed.
 */
final class Presence {
    private final WebchatChannel channel;
    private volatile boolean agentsOnline;
    private volatile boolean lastPresence;

    Presence(WebchatChannel channel, boolean agentsOnline) {
        this.channel = channel;
        this.agentsOnline = agentsOnline;
        this.lastPresence = online();
    }

    /** Whether widgets are told someone is answering: agents online and within business hours. */
    boolean online() {
        return agentsOnline && channel.businessHours().isOpen(channel.now());
    }

    void setAgentsOnline(boolean online) {
        this.agentsOnline = online;
    }

    /** The presence frame to broadcast when presence changed since the last call; empty when it did not. */
    Optional<String> changed() {
        boolean now = online();
        if (now == lastPresence) {
            return Optional.empty();
        }
        lastPresence = now;
        return Optional.of("{\"type\":\"presence\",\"online\":" + now + "}");
    }
}
