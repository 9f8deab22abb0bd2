package dev.switchboard.channel.email;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.switchboard.channel.Channel;
import dev.switchboard.testkit.PlatformFake;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The email platform for tests: GreenMail's real SMTP and IMAP servers in-process on free ports, with mailboxes for
 * the shop (support@, feedback@) and a customer. Customer mail goes in over SMTP and the channel reads it over IMAP;
 * what the channel sends lands in the customer's GreenMail mailbox. Send failures are scripted by a
 * {@link ScriptedSmtpProxy} in front of GreenMail's SMTP port, since SMTP has no other way to inject 451 or 550.
 */
final class GreenMailFake implements PlatformFake {
    static final String MAILBOX = "support@shop.example";
    static final String FEEDBACK = "feedback@shop.example";
    static final String PASSWORD = "imap-Pa55-w0rd-XYZ";
    static final String FEEDBACK_PASSWORD = "feedback-Pa55-ABC";
    static final String CUSTOMER = "customer@client.example";
    private static final Pattern BODY = Pattern.compile("(?s)<body[^>]*>(.*)</body>");
    private final GreenMail greenMail;
    private final ScriptedSmtpProxy proxy;
    private final Map<String, byte[]> delivered = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();

    GreenMailFake() throws IOException {
        greenMail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP))
                .withConfiguration(GreenMailConfiguration.aConfig().withSieveIgnoreDetail());
        greenMail.start();
        greenMail.setUser(MAILBOX, "support", PASSWORD);
        greenMail.setUser(FEEDBACK, "feedback", FEEDBACK_PASSWORD);
        greenMail.setUser(CUSTOMER, "customer", "customer-pw");
        proxy = new ScriptedSmtpProxy(greenMail.getSmtp().getPort());
    }

    GreenMail greenMail() {
        return greenMail;
    }

    int imapPort() {
        return greenMail.getImap().getPort();
    }

    /** The SMTP port the channel should use: the proxy, which can script failures. */
    int smtpPort() {
        return proxy.port();
    }

    ImapSettings imap(String login, String password, boolean idle) {
        return ImapSettings.of("127.0.0.1", imapPort(), TlsMode.NONE, login, password)
                .withIdle(idle).withPollInterval(Duration.ofMillis(idle ? 2000 : 200));
    }

    SmtpSettings smtp(String login, String password) {
        return SmtpSettings.of("127.0.0.1", smtpPort(), TlsMode.NONE, login, password)
                .withTimeout(Duration.ofSeconds(10));
    }

    @Override
    public void bind(Channel channel) {
        // IMAP and SMTP need no handle on the channel
    }

    @Override
    public String deliverText(String platformUserId, String displayName, String text) {
        String id = "kit-" + counter.incrementAndGet() + "." + System.nanoTime() + "@client.example";
        String from = displayName.isEmpty() ? platformUserId
                : "=?UTF-8?B?" + Base64.getEncoder().encodeToString(displayName.getBytes(StandardCharsets.UTF_8))
                + "?= <" + platformUserId + ">";
        String raw = "From: " + from + "\r\nTo: " + MAILBOX + "\r\nSubject: Question\r\nMessage-ID: <" + id
                + ">\r\nDate: Mon, 3 Mar 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\r\n";
        byte[] bytes = raw.getBytes(StandardCharsets.US_ASCII);
        delivered.put(id, bytes);
        sendRaw(bytes, MAILBOX);
        return id;
    }

    @Override
    public void redeliver(String eventId) {
        byte[] raw = delivered.get(eventId);
        if (raw == null) {
            throw new IllegalArgumentException("never delivered " + eventId);
        }
        sendRaw(raw, MAILBOX);
    }

    /** Delivers raw RFC 822 bytes to {@code to} over GreenMail's SMTP, unchanged (the Message-ID is kept). */
    void sendRaw(byte[] raw, String to) {
        Properties props = new Properties();
        props.setProperty("mail.smtp.host", "127.0.0.1");
        props.setProperty("mail.smtp.port", String.valueOf(greenMail.getSmtp().getPort()));
        Session session = Session.getInstance(props);
        try (Transport transport = session.getTransport("smtp")) {
            MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw));
            transport.connect();
            transport.sendMessage(message, new Address[] {new InternetAddress(to)});
        } catch (MessagingException e) {
            throw new IllegalStateException("GreenMail refused the test message", e);
        }
    }

    @Override
    public String knownRecipient() {
        return CUSTOMER;
    }

    @Override
    public void failNextSendWithRateLimit(Duration retryAfter) {
        // SMTP has no retry-after; a provider's throttling reply is a 4xx with an explanation
        proxy.failNext(ScriptedSmtpProxy.Stage.MAIL, "451 4.7.1 Rate limit exceeded, too many messages, try later");
    }

    @Override
    public void failNextSendWithServerError() {
        proxy.failNext(ScriptedSmtpProxy.Stage.MAIL, "421 4.3.2 Service not available, closing transmission channel");
    }

    @Override
    public void failNextSendWithPermanentError() {
        proxy.failNext(ScriptedSmtpProxy.Stage.RCPT, "550 5.1.1 <" + CUSTOMER
                + ">: Recipient address rejected: User unknown in virtual mailbox table");
    }

    @Override
    public List<SentMessage> sent() {
        return messagesFor(CUSTOMER).stream().map(m -> {
            try {
                return new SentMessage(CUSTOMER, text(m), List.of(), EmailParser.firstId(
                        m.getHeader("Message-ID", null)).orElse(""));
            } catch (MessagingException | IOException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toList());
    }

    /** Every message in {@code address}'s GreenMail mailbox, oldest first. */
    List<MimeMessage> messagesFor(String address) {
        return greenMail.findReceivedMessages(u -> u.getEmail().equalsIgnoreCase(address), m -> true)
                .collect(Collectors.toList());
    }

    /**
     * The text of a message as the customer's client shows it: the HTML alternative's body (the channel's markup is
     * HTML; {@code <br>} line breaks turned back into newlines), else the plain text.
     */
    static String text(MimeMessage m) throws MessagingException, IOException {
        Optional<String> html = find(m, "text/html");
        if (html.isPresent()) {
            Matcher body = BODY.matcher(html.get());
            String inner = body.find() ? body.group(1) : html.get();
            return inner.replace("\r\n", "\n").replace("<br>\n", "\n"); // MIME canonical CRLF line ends
        }
        return find(m, "text/plain").orElse("").replace("\r\n", "\n");
    }

    static Optional<String> find(Part part, String type) throws MessagingException, IOException {
        if (part.isMimeType(type) && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return Optional.of((String) part.getContent());
        }
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                Optional<String> found = find(mp.getBodyPart(i), type);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        proxy.close();
        greenMail.stop();
    }
}
