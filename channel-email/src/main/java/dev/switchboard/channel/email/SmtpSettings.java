package dev.switchboard.channel.email;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how one mailbox sends over SMTP: server, TLS mode, login (empty username: no authentication, for local
 * relays), and connection/read timeouts. {@link #toString()} never shows the password.
 */
public record SmtpSettings(String host, int port, TlsMode tls, String username, String password, Duration timeout) {

    public SmtpSettings {
        ImapSettings.requireText(host, "smtp host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("smtp port must be 1..65535, got " + port);
        }
        Objects.requireNonNull(tls, "smtp tls");
        Objects.requireNonNull(username, "smtp username");
        Objects.requireNonNull(password, "smtp password");
        Objects.requireNonNull(timeout, "smtp timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("smtp timeout must be positive, got " + timeout);
        }
    }

    /** Settings for {@code host:port} with a 30 s timeout. */
    public static SmtpSettings of(String host, int port, TlsMode tls, String username, String password) {
        return new SmtpSettings(host, port, tls, username, password, Duration.ofSeconds(30));
    }

    public SmtpSettings withTimeout(Duration timeout) {
        return new SmtpSettings(host, port, tls, username, password, timeout);
    }

    boolean authenticates() {
        return !username.isEmpty();
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + (username.isEmpty() ? "" : username + "@") + host + ":" + port + ", tls=" + tls
                + ", timeout=" + timeout + ", password=****]";
    }
}
