package dev.switchboard.channel.webchat;

/**
 * Limits per IP address, so that one client cannot flood the inbox by opening many sessions: sessions created per
 * hour, and visitor messages per minute over all of the address's sessions (on top of the per-session limit in
 * {@link WebchatLimits}). Over a limit the visitor gets {@code rate_limited} with {@code retryAfterMs}. Behind a
 * reverse proxy every visitor shares the proxy's address, so raise these there.
 *
 * @param sessionsPerHour new chat sessions one address may create per hour
 * @param messagesPerMinute messages all sessions of one address may send per minute
 */
public record AddressLimits(int sessionsPerHour, int messagesPerMinute) {
    /** 60 sessions an hour and 120 messages a minute per address. */
    public static final AddressLimits DEFAULT = new AddressLimits(60, 120);

    public AddressLimits {
        if (sessionsPerHour < 1 || messagesPerMinute < 1) {
            throw new IllegalArgumentException("address limits must be positive: sessionsPerHour=" + sessionsPerHour
                    + ", messagesPerMinute=" + messagesPerMinute);
        }
    }
}
