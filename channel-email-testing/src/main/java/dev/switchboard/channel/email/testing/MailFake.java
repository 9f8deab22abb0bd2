package dev.switchboard.channel.email.testing;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.switchboard.channel.Channel;
import dev.switchboard.testkit.PlatformFake;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mail platform for tests: GreenMail's real SMTP and IMAP servers (IMAP with IDLE) on free loopback ports, with the
 * shop's mailboxes and a customer. Customer mail goes in over SMTP ({@link #deliverText}, {@link #deliverMail},
 * {@link #deliverRaw}) and the channel reads it over IMAP at {@link #imapPort()}; what the channel sends through
 * {@link #smtpPort()} lands in the recipients' mailboxes ({@link #receivedBy}, {@link #sent()}). The SMTP port is a
 * small proxy in front of GreenMail that can answer the next connection with a scripted error (421, 451, 550 at
 * MAIL FROM or RCPT TO), since GreenMail itself cannot. Implements {@link PlatformFake} for the compatibility kit.
 * Thread-safe; create one per test and close it.
 */
public final class MailFake implements PlatformFake {
    /** The host every port listens on. */
    public static final String HOST = "127.0.0.1";
    /** The default shop mailbox, which customer mail is delivered to. */
    public static final String MAILBOX = "support@shop.example";
    /** The default mailbox's IMAP and SMTP login. */
    public static final String LOGIN = "support";
    /** The default mailbox's password; not a secret, it opens nothing but the fake. */
    public static final String PASSWORD = "imap-Pa55-w0rd-XYZ";
    /** A customer address that accepts mail. */
    public static final String CUSTOMER = "customer@client.example";

    private static final Pattern BODY = Pattern.compile("(?s)<body[^>]*>(.*)</body>");
    private static final Pattern ANGLE_ID = Pattern.compile("<([^<>\\s]+)>");

    private final GreenMail greenMail;
    private final ScriptedSmtpProxy proxy;
    private final String mailbox;
    private final String customer;
    private final Set<String> mailboxes = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> delivered = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();

    /** A fake with the default mailbox ({@link #MAILBOX}, {@link #LOGIN}, {@link #PASSWORD}) and {@link #CUSTOMER}. */
    public MailFake() {
        this(builder());
    }

    private MailFake(Builder b) {
        ServerSetup smtp = new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP).dynamicPort();
        ServerSetup imap = new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAP).dynamicPort();
        greenMail = new GreenMail(new ServerSetup[] {smtp, imap})
                // plus addresses (support+TOKEN@) reach the support mailbox, as at real providers
                .withConfiguration(GreenMailConfiguration.aConfig().withSieveIgnoreDetail());
        greenMail.start();
        Map<String, String[]> boxes = b.mailboxes.isEmpty()
                ? Map.of(MAILBOX, new String[] {LOGIN, PASSWORD}) : b.mailboxes;
        this.mailbox = boxes.keySet().iterator().next();
        boxes.forEach((address, login) -> addMailbox(address, login[0], login[1]));
        this.customer = b.customer;
        greenMail.setUser(customer, customer, "customer-pw");
        try {
            proxy = new ScriptedSmtpProxy(greenMail.getSmtp().getPort());
        } catch (IOException e) {
            greenMail.stop();
            throw new IllegalStateException("cannot start the SMTP proxy", e);
        }
    }

    /** A builder for a fake with other mailboxes or another customer. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ where it listens

    /** The IMAP port the channel reads the mailboxes from (plain IMAP, IDLE supported). */
    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    /** The SMTP port the channel sends through (plain SMTP, AUTH with a mailbox's login; errors can be scripted). */
    public int smtpPort() {
        return proxy.port();
    }

    /** The mailbox customer mail is delivered to: the first given to the builder, else {@link #MAILBOX}. */
    public String mailbox() {
        return mailbox;
    }

    /** GreenMail itself, for what this class does not cover (users, quotas, purging). */
    public GreenMail greenMail() {
        return greenMail;
    }

    /** Adds a shop mailbox with its IMAP and SMTP login; mail to it does not count as {@link #sent()}. */
    public void addMailbox(String address, String login, String password) {
        greenMail.setUser(address, login, password);
        mailboxes.add(address.toLowerCase(Locale.ROOT));
    }

    // ------------------------------------------------------------------ customers writing

    /** A customer writes a plain-text mail to {@link #mailbox()}; returns its Message-ID (without brackets). */
    @Override
    public String deliverText(String platformUserId, String displayName, String text) {
        String id = "kit-" + counter.incrementAndGet() + "." + System.nanoTime() + "@client.example";
        String from = displayName.isEmpty() ? platformUserId
                : "=?UTF-8?B?" + Base64.getEncoder().encodeToString(displayName.getBytes(StandardCharsets.UTF_8))
                + "?= <" + platformUserId + ">";
        String raw = "From: " + from + "\r\nTo: " + mailbox + "\r\nSubject: Question\r\nMessage-ID: <" + id
                + ">\r\nDate: Mon, 3 Mar 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\r\n";
        deliverRaw(raw.getBytes(StandardCharsets.US_ASCII), mailbox);
        return id;
    }

    /**
     * A customer's mail client sends a message to {@link #mailbox()} over SMTP.
     *
     * @param extraHeaders headers to add, e.g. {@code In-Reply-To}; may be empty
     * @return the Message-ID it was sent with (without brackets)
     */
    public String deliverMail(String fromAddress, String fromName, String subject, String body, Instant date,
                              Map<String, String> extraHeaders) {
        Session session = Session.getInstance(new Properties());
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(fromAddress, fromName, "UTF-8"));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(mailbox));
            m.setSubject(subject, "UTF-8");
            m.setText(body, "UTF-8");
            m.setSentDate(Date.from(date));
            for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
                m.setHeader(h.getKey(), h.getValue());
            }
            m.saveChanges();
            String messageId = firstId(m.getMessageID()).orElseThrow();
            send(m, mailbox);
            return messageId;
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new IllegalStateException("GreenMail refused the mail: " + e.getMessage(), e);
        }
    }

    /** Delivers raw RFC 5322 bytes to {@code to} over SMTP, unchanged (the Message-ID is kept). */
    public void deliverRaw(byte[] raw, String to) {
        Session session = Session.getInstance(new Properties());
        try {
            MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw));
            firstId(message.getHeader("Message-ID", null)).ifPresent(id -> delivered.put(id, raw.clone()));
            send(message, to);
        } catch (MessagingException e) {
            throw new IllegalStateException("GreenMail refused the mail: " + e.getMessage(), e);
        }
    }

    private void send(MimeMessage message, String to) throws MessagingException {
        Properties props = new Properties();
        props.setProperty("mail.smtp.host", HOST);
        props.setProperty("mail.smtp.port", String.valueOf(greenMail.getSmtp().getPort()));
        props.setProperty("mail.smtp.connectiontimeout", "10000");
        props.setProperty("mail.smtp.timeout", "10000");
        try (Transport transport = Session.getInstance(props).getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(message, new Address[] {new InternetAddress(to)});
        }
    }

    @Override
    public void redeliver(String eventId) {
        byte[] raw = delivered.get(eventId);
        if (raw == null) {
            throw new IllegalArgumentException("never delivered " + eventId);
        }
        deliverRaw(raw, mailbox);
    }

    // ------------------------------------------------------------------ what was sent

    /** Every message in {@code address}'s mailbox, oldest first (for a shop mailbox: what customers wrote). */
    public List<MimeMessage> receivedBy(String address) {
        return greenMail.findReceivedMessages(u -> u.getEmail().equalsIgnoreCase(address), m -> true).toList();
    }

    /**
     * What the channel sent: every message in a mailbox that is not a shop mailbox, per recipient oldest first; the
     * text is what the customer's client shows ({@link #displayedText}), the id the Message-ID without brackets.
     */
    @Override
    public List<SentMessage> sent() {
        List<SentMessage> out = new ArrayList<>();
        for (GreenMailUser user : greenMail.getUserManager().listUser()) {
            if (mailboxes.contains(user.getEmail().toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (MimeMessage m : receivedBy(user.getEmail())) {
                try {
                    out.add(new SentMessage(user.getEmail(), displayedText(m),
                            List.of(), firstId(m.getHeader("Message-ID", null)).orElse("")));
                } catch (MessagingException | IOException e) {
                    throw new IllegalStateException("unreadable message in GreenMail", e);
                }
            }
        }
        return out;
    }

    @Override
    public String knownRecipient() {
        return customer;
    }

    // ------------------------------------------------------------------ scripted SMTP errors

    /** The next SMTP connection to {@link #smtpPort()} is answered with {@code reply} at MAIL FROM. */
    public void failNextMailFrom(String reply) {
        proxy.failNext(ScriptedSmtpProxy.Stage.MAIL, reply);
    }

    /** The next SMTP connection to {@link #smtpPort()} is answered with {@code reply} at RCPT TO. */
    public void failNextRcptTo(String reply) {
        proxy.failNext(ScriptedSmtpProxy.Stage.RCPT, reply);
    }

    /** SMTP has no retry-after: a provider's throttling reply is a 451 with an explanation. */
    @Override
    public void failNextSendWithRateLimit(Duration retryAfter) {
        failNextMailFrom("451 4.7.1 Rate limit exceeded, too many messages, try later");
    }

    @Override
    public void failNextSendWithServerError() {
        failNextMailFrom("421 4.3.2 Service not available, closing transmission channel");
    }

    @Override
    public void failNextSendWithPermanentError() {
        failNextRcptTo("550 5.1.1 <" + customer + ">: Recipient address rejected: User unknown in virtual mailbox "
                + "table");
    }

    /** IMAP and SMTP need no handle on the channel. */
    @Override
    public void bind(Channel channel) {
        // nothing to bind
    }

    /** Stops the proxy and GreenMail; never throws. */
    @Override
    public void close() {
        proxy.close();
        greenMail.stop();
    }

    @Override
    public String toString() {
        return "MailFake[smtp=" + smtpPort() + ", imap=" + imapPort() + ", mailbox=" + mailbox + "]";
    }

    // ------------------------------------------------------------------ reading messages

    /**
     * The text of a message as the customer's client shows it: the HTML alternative's body (line breaks
     * {@code <br>} turned back into newlines), else the plain text, with CRLF as {@code \n}.
     */
    public static String displayedText(MimeMessage message) throws MessagingException, IOException {
        Optional<String> html = part(message, "text/html");
        if (html.isPresent()) {
            Matcher body = BODY.matcher(html.get());
            String inner = body.find() ? body.group(1) : html.get();
            return inner.replace("\r\n", "\n").replace("<br>\n", "\n");
        }
        return part(message, "text/plain").orElse("").replace("\r\n", "\n");
    }

    /** The first inline (non-attachment) part of this MIME type, depth first, as text. */
    public static Optional<String> part(Part part, String mimeType) throws MessagingException, IOException {
        if (part.isMimeType(mimeType) && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return Optional.of((String) part.getContent());
        }
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                Optional<String> found = part(mp.getBodyPart(i), mimeType);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> firstId(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = ANGLE_ID.matcher(header);
        if (m.find()) {
            return Optional.of(m.group(1));
        }
        String bare = header.strip();
        return bare.isEmpty() ? Optional.empty() : Optional.of(bare);
    }

    /**
     * Builds a {@link MailFake}. Options are checked at {@link #build()}, which fails with an
     * {@link IllegalArgumentException} naming the option.
     */
    public static final class Builder {
        private final Map<String, String[]> mailboxes = new LinkedHashMap<>();
        private String customer = CUSTOMER;

        private Builder() {
        }

        /**
         * Adds a shop mailbox with its login; the first receives customer mail. Without any, the fake has
         * {@link #MAILBOX} with {@link #LOGIN} and {@link #PASSWORD}.
         */
        public Builder mailbox(String address, String login, String password) {
            mailboxes.put(Objects.requireNonNull(address, "address"), new String[] {
                    Objects.requireNonNull(login, "login"), Objects.requireNonNull(password, "password")});
            return this;
        }

        /** The customer address the kit sends to ({@link PlatformFake#knownRecipient()}); default {@link #CUSTOMER}. */
        public Builder customer(String address) {
            this.customer = Objects.requireNonNull(address, "customer");
            return this;
        }

        /** Starts GreenMail and the SMTP proxy on free loopback ports. */
        public MailFake build() {
            for (String address : mailboxes.keySet()) {
                if (!address.matches("[^@\\s]+@[^@\\s]+")) {
                    throw new IllegalArgumentException("mailbox address is not an email address: " + address);
                }
            }
            if (!customer.matches("[^@\\s]+@[^@\\s]+")) {
                throw new IllegalArgumentException("customer is not an email address: " + customer);
            }
            if (mailboxes.keySet().stream().anyMatch(customer::equalsIgnoreCase)) {
                throw new IllegalArgumentException("customer must not be one of the mailboxes: " + customer);
            }
            return new MailFake(this);
        }
    }
}
