package dev.switchboard.channel.email;

import dev.switchboard.channel.ConfigChecks;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The checked configuration of an {@link EmailChannel}, as built by {@link EmailChannel.Builder}: every option of one
 * mailbox in one immutable value. {@code toString()} masks the IMAP and SMTP passwords and the thread-token secret,
 * so the configuration can be logged.
 *
 * @param address the mailbox address (lower-cased): where customers write and what replies come from
 * @param displayName the name shown next to the address when no agent name is given ("Shop Support")
 * @param replyTo a Reply-To address for outgoing mail, when replies should go elsewhere than the From address
 * @param imap where and how the mailbox is read
 * @param smtp where and how the mailbox sends
 * @param threadTokenSecret the key (at least 16 bytes) signing the conversation tokens in our Message-IDs; the
 *     accessor returns a copy
 * @param stateStore where (UIDVALIDITY, last UID) is kept between runs
 * @param sendRateLimit the provider's sending limit, declared to the outbox
 * @param maxTextLength the longest text one mail carries, in code points (at least 1000)
 */
public record EmailConfig(ChannelId channelId, TenantId tenant, String address, Optional<String> displayName,
                          Optional<String> replyTo, ImapSettings imap, SmtpSettings smtp, byte[] threadTokenSecret,
                          MailboxStateStore stateStore, RateLimit sendRateLimit, int maxTextLength) {

    public EmailConfig {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(replyTo, "replyTo");
        Objects.requireNonNull(imap, "imap");
        Objects.requireNonNull(smtp, "smtp");
        threadTokenSecret = Objects.requireNonNull(threadTokenSecret, "threadTokenSecret").clone();
        Objects.requireNonNull(stateStore, "stateStore");
        Objects.requireNonNull(sendRateLimit, "sendRateLimit");
    }

    @Override
    public byte[] threadTokenSecret() {
        return threadTokenSecret.clone();
    }

    /** Where the receive position of this mailbox is kept in the {@link #stateStore()}. */
    String stateKey() {
        return tenant + "/" + channelId + "/" + imap.username() + "@" + imap.host() + ":" + imap.port() + "/"
                + imap.folder();
    }

    @Override
    public String toString() {
        return "EmailConfig[channelId=" + channelId + ", tenant=" + tenant + ", address=" + address + ", imap=" + imap
                + ", smtp=" + smtp + ", threadTokenSecret=****, sendRateLimit=" + sendRateLimit + ", maxTextLength="
                + maxTextLength + "]";
    }

    /**
     * {@code value} as a bare lower-cased address. @throws IllegalArgumentException naming {@code option} and the
     * value when it is not a full address.
     */
    static String checkAddress(String value, String option) {
        ConfigChecks.required(value, option);
        try {
            InternetAddress parsed = new InternetAddress(value.strip(), true);
            if (parsed.getAddress().indexOf('@') < 1) {
                throw new IllegalArgumentException(option + " must be a full address like support@shop.example, "
                        + "got " + value);
            }
            return parsed.getAddress().toLowerCase(Locale.ROOT);
        } catch (AddressException e) {
            throw new IllegalArgumentException(option + " is not a valid address: " + value, e);
        }
    }
}
