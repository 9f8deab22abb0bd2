package dev.switchboard.examples.fake;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * A real mail server on loopback ports for the demo's offline mode: GreenMail serving SMTP and IMAP, with the shop's
 * support mailbox as a user. The real email channel polls its IMAP port and sends through its SMTP port; the simulator
 * plays customers by {@link #sendFromCustomer sending mail to the support address over SMTP}, exactly as a mail client
 * would; replies to customers land in their local mailboxes, where {@link #receivedBy} finds them.
 */
public final class LocalMailServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalMailServer.class);

    private final GreenMail greenMail;
    private final String supportAddress;
    private final String supportPassword;

    private LocalMailServer(String supportAddress, String supportPassword) {
        this.supportAddress = Objects.requireNonNull(supportAddress, "supportAddress");
        this.supportPassword = Objects.requireNonNull(supportPassword, "supportPassword");
        ServerSetup smtp = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
        ServerSetup imap = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort();
        this.greenMail = new GreenMail(new ServerSetup[] {smtp, imap});
    }

    /** Starts SMTP and IMAP on free loopback ports with one mailbox: {@code supportAddress} / {@code password}. */
    public static LocalMailServer start(String supportAddress, String password) {
        LocalMailServer server = new LocalMailServer(supportAddress, password);
        server.greenMail.start();
        server.greenMail.setUser(supportAddress, supportAddress, password);
        log.info("Local mail server: SMTP 127.0.0.1:{}, IMAP 127.0.0.1:{}, mailbox {}", server.smtpPort(),
                server.imapPort(), supportAddress);
        return server;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    public String supportAddress() {
        return supportAddress;
    }

    /** The support mailbox's password, for configuring the channel against this local server only. */
    public String supportPassword() {
        return supportPassword;
    }

    /**
     * A customer's mail client sends a message to the support address over SMTP.
     *
     * @param extraHeaders e.g. {@code In-Reply-To}; may be empty
     * @return the Message-ID the message was sent with
     */
    public String sendFromCustomer(String fromAddress, String fromName, String subject, String body, Instant date,
                                   Map<String, String> extraHeaders) {
        Properties props = new Properties();
        props.put("mail.smtp.host", host());
        props.put("mail.smtp.port", String.valueOf(smtpPort()));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "5000");
        Session session = Session.getInstance(props);
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(fromAddress, fromName, "UTF-8"));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(supportAddress));
            m.setSubject(subject, "UTF-8");
            m.setText(body, "UTF-8");
            m.setSentDate(Date.from(date));
            for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
                m.setHeader(h.getKey(), h.getValue());
            }
            m.saveChanges();
            String messageId = m.getMessageID();
            Transport.send(m);
            return messageId;
        } catch (MessagingException | java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException("local SMTP send failed: " + e.getMessage(), e);
        }
    }

    /** Messages delivered to a mailbox on this server (a customer's inbox: the replies they received). */
    public List<MimeMessage> receivedBy(String address) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients() != null && Arrays.stream(m.getAllRecipients())
                        .anyMatch(a -> a instanceof InternetAddress ia && ia.getAddress().equalsIgnoreCase(address));
            } catch (MessagingException e) {
                return false;
            }
        }).toList();
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    @Override
    public String toString() {
        return "LocalMailServer[smtp=" + smtpPort() + ", imap=" + imapPort() + ", mailbox=" + supportAddress + "]";
    }
}
