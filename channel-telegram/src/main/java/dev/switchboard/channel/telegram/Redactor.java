package dev.switchboard.channel.telegram;

import java.io.IOException;

/**
 * Keeps the bot token out of every message this module produces. The token is part of every Bot API URL
 * ({@code /bot<token>/method}), so any exception that names a URL could leak it; every such text passes through
 * {@link #redact} and every foreign exception is replaced by a {@link RedactedException} copy before it is kept.
 */
final class Redactor {
    private final String token;
    private final String masked;

    Redactor(String token, String masked) {
        this.token = token;
        this.masked = masked;
    }

    String redact(String text) {
        if (text == null) {
            return "";
        }
        return text.replace(token, masked);
    }

    /** A copy of {@code t} (and its causes) whose messages are redacted, keeping class names and stack traces. */
    Throwable redact(Throwable t) {
        if (t == null) {
            return null;
        }
        RedactedException copy = new RedactedException(t.getClass().getName() + ": " + redact(t.getMessage()),
                t.getCause() == null || t.getCause() == t ? null : redact(t.getCause()));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** Stands in for an exception whose message might have named a URL with the token. */
    static final class RedactedException extends IOException {
        RedactedException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
