package dev.switchboard.spring.boot;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.channel.email.EmailChannel;
import dev.switchboard.channel.email.ImapSettings;
import dev.switchboard.channel.email.SmtpSettings;
import dev.switchboard.channel.email.TlsMode;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Makes {@code email} channels from {@link SwitchboardProperties.Email}: the mailbox address, IMAP and SMTP servers
 * with their logins, and the thread-token secret. Messages name the property, never a password. Stateless and
 * thread-safe.
 */
public final class EmailChannelFactory implements ChannelFactory {

    /** Creates the factory. */
    public EmailChannelFactory() {
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    public Channel create(TenantId tenant, ChannelId id, SwitchboardProperties.ChannelProperties properties,
                         String property) {
        SwitchboardProperties.Email e = properties.getEmail();
        String p = property + ".email.";
        List<String> problems = new ArrayList<>();
        require(problems, e.getAddress(), p + "address", "the mailbox address customers write to");
        if (e.getThreadTokenSecret() == null || e.getThreadTokenSecret().length() < 16) {
            problems.add(p + "thread-token-secret: is required, at least 16 characters");
        }
        if (e.getSendRatePerMinute() < 1) {
            problems.add(p + "send-rate-per-minute: must be at least 1, got " + e.getSendRatePerMinute());
        }
        server(problems, e.getImap(), p + "imap.", true);
        server(problems, e.getSmtp(), p + "smtp.", false);
        if (!problems.isEmpty()) {
            throw new SwitchboardConfigurationException(problems);
        }
        try {
            SwitchboardProperties.MailServer in = e.getImap();
            SwitchboardProperties.MailServer out = e.getSmtp();
            ImapSettings imap = new ImapSettings(in.getHost(), in.getPort(), tls(in.getTls()), in.getUsername(),
                    nullToEmpty(in.getPassword()), in.getFolder(), in.isIdle(), in.getPollInterval(),
                    Optional.of(ImapSettings.DEFAULT_PROCESSED_KEYWORD), Optional.empty());
            SmtpSettings smtp = SmtpSettings.of(out.getHost(), out.getPort(), tls(out.getTls()),
                    nullToEmpty(out.getUsername()), nullToEmpty(out.getPassword()));
            EmailChannel.Builder b = EmailChannel.builder().id(id).tenant(tenant).address(e.getAddress())
                    .imap(imap).smtp(smtp).sendRateLimit(RateLimit.perMinute(e.getSendRatePerMinute()))
                    .threadTokenSecret(e.getThreadTokenSecret().getBytes(StandardCharsets.UTF_8));
            if (e.getDisplayName() != null) {
                b.displayName(e.getDisplayName());
            }
            if (e.getReplyTo() != null) {
                b.replyTo(e.getReplyTo());
            }
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException ex) {
            throw new SwitchboardConfigurationException(p + "*", ex.getMessage());
        }
    }

    private static void server(List<String> problems, SwitchboardProperties.MailServer s, String p, boolean imap) {
        require(problems, s.getHost(), p + "host", "the " + (imap ? "IMAP" : "SMTP") + " server");
        if (s.getPort() == null) {
            problems.add(p + "port: is required (" + (imap ? "IMAPS 993" : "submission 587, SMTPS 465") + ")");
        }
        if (imap) {
            require(problems, s.getUsername(), p + "username", "the IMAP login");
        }
        try {
            tls(s.getTls());
        } catch (IllegalArgumentException ex) {
            problems.add(p + "tls: " + ex.getMessage());
        }
    }

    private static TlsMode tls(String value) {
        try {
            return TlsMode.valueOf(String.valueOf(value).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be IMPLICIT, STARTTLS or NONE, got '" + value + "'");
        }
    }

    private static void require(List<String> problems, String value, String property, String what) {
        if (value == null || value.isBlank()) {
            problems.add(property + ": is required (" + what + ")");
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
