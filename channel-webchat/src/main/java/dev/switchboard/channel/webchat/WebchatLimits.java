package dev.switchboard.channel.webchat;

/**
 * The abuse limits of a website chat. Exceeding one gets the visitor a clear {@code error} event with a code
 * ({@code message_too_large}, {@code rate_limited} with {@code retryAfterMs}, {@code too_many_connections},
 * {@code file_too_large}), never a silently dropped socket.
 *
 * @param maxMessageBytes the largest visitor message text, in UTF-8 bytes
 * @param messagesPerMinute messages one visitor may send per minute
 * @param connectionsPerIp open streams (WebSocket or SSE) one IP address may hold at once
 * @param maxUploadBytes the largest attachment a visitor may upload
 */
public record WebchatLimits(int maxMessageBytes, int messagesPerMinute, int connectionsPerIp, int maxUploadBytes) {
    /** 8 KiB messages, 30 messages a minute, 20 connections per IP, 10 MiB uploads. */
    public static final WebchatLimits DEFAULT = new WebchatLimits(8 * 1024, 30, 20, 10 * 1024 * 1024);

    public WebchatLimits {
        if (maxMessageBytes < 16 || messagesPerMinute < 1 || connectionsPerIp < 1 || maxUploadBytes < 1) {
            throw new IllegalArgumentException("limits must be positive (maxMessageBytes >= 16): maxMessageBytes="
                    + maxMessageBytes + ", messagesPerMinute=" + messagesPerMinute + ", connectionsPerIp="
                    + connectionsPerIp + ", maxUploadBytes=" + maxUploadBytes);
        }
    }

    public WebchatLimits withMaxMessageBytes(int v) {
        return new WebchatLimits(v, messagesPerMinute, connectionsPerIp, maxUploadBytes);
    }

    public WebchatLimits withMessagesPerMinute(int v) {
        return new WebchatLimits(maxMessageBytes, v, connectionsPerIp, maxUploadBytes);
    }

    public WebchatLimits withConnectionsPerIp(int v) {
        return new WebchatLimits(maxMessageBytes, messagesPerMinute, v, maxUploadBytes);
    }

    public WebchatLimits withMaxUploadBytes(int v) {
        return new WebchatLimits(maxMessageBytes, messagesPerMinute, connectionsPerIp, v);
    }
}
