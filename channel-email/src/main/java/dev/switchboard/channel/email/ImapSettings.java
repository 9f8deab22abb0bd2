package dev.switchboard.channel.email;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how one mailbox is read over IMAP: server, TLS mode, login, folder, whether to use IDLE when the server
 * offers it, how often to poll otherwise, and how to mark a message as processed once the inbox has committed it
 * (a keyword flag, and optionally a move to another folder). {@link #toString()} never shows the password.
 *
 * @param idle use IMAP IDLE when the server advertises it; false forces polling
 * @param pollInterval how long to wait between polls (and the upper bound between IDLE re-checks)
 * @param processedKeyword the IMAP keyword set on committed messages (empty: set none); {@code \Seen} is never used
 * @param moveProcessedTo a folder committed messages are moved to (empty: leave them in place)
 */
public record ImapSettings(String host, int port, TlsMode tls, String username, String password, String folder,
                           boolean idle, Duration pollInterval, Optional<String> processedKeyword,
                           Optional<String> moveProcessedTo) {

    /** The keyword set on committed messages unless configured otherwise. */
    public static final String DEFAULT_PROCESSED_KEYWORD = "$SwitchboardProcessed";

    public ImapSettings {
        requireText(host, "imap host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("imap port must be 1..65535, got " + port);
        }
        Objects.requireNonNull(tls, "imap tls");
        requireText(username, "imap username");
        Objects.requireNonNull(password, "imap password");
        requireText(folder, "imap folder");
        Objects.requireNonNull(pollInterval, "imap pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("imap pollInterval must be positive, got " + pollInterval);
        }
        Objects.requireNonNull(processedKeyword, "imap processedKeyword");
        Objects.requireNonNull(moveProcessedTo, "imap moveProcessedTo");
    }

    /** Settings for {@code host:port} with INBOX, IDLE on, a 30 s poll interval and the default processed keyword. */
    public static ImapSettings of(String host, int port, TlsMode tls, String username, String password) {
        return new ImapSettings(host, port, tls, username, password, "INBOX", true, Duration.ofSeconds(30),
                Optional.of(DEFAULT_PROCESSED_KEYWORD), Optional.empty());
    }

    public ImapSettings withFolder(String folder) {
        return new ImapSettings(host, port, tls, username, password, folder, idle, pollInterval, processedKeyword,
                moveProcessedTo);
    }

    public ImapSettings withIdle(boolean idle) {
        return new ImapSettings(host, port, tls, username, password, folder, idle, pollInterval, processedKeyword,
                moveProcessedTo);
    }

    public ImapSettings withPollInterval(Duration pollInterval) {
        return new ImapSettings(host, port, tls, username, password, folder, idle, pollInterval, processedKeyword,
                moveProcessedTo);
    }

    public ImapSettings withProcessedKeyword(Optional<String> keyword) {
        return new ImapSettings(host, port, tls, username, password, folder, idle, pollInterval, keyword,
                moveProcessedTo);
    }

    public ImapSettings withMoveProcessedTo(Optional<String> target) {
        return new ImapSettings(host, port, tls, username, password, folder, idle, pollInterval, processedKeyword,
                target);
    }

    @Override
    public String toString() {
        return "ImapSettings[" + username + "@" + host + ":" + port + ", tls=" + tls + ", folder=" + folder
                + ", idle=" + idle + ", pollInterval=" + pollInterval + ", password=****]";
    }

    static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
