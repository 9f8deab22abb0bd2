package dev.switchboard.channel.email;

import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.MarketingNotice;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaSource;
import dev.switchboard.render.Bubble;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.UnsupportedEncodingException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Builds and sends one outgoing email per {@link OutboundMessage}: text and HTML alternatives from a text bubble,
 * attachments from media bubbles, the mailbox's From and Reply-To, our signed Message-ID, In-Reply-To and References
 * so the customer's client threads the reply, a {@code [#TOKEN]} subject tag, and {@code Auto-Submitted:
 * auto-replied} on automatic messages. SMTP replies become {@link ChannelException}s the outbox acts on.
 */
final class EmailSender {
    private static final Pattern RATE = Pattern.compile("rate|too many|throttl|limit|slow down",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern REPLY_PREFIX = Pattern.compile("^\\s*(re|ответ|отв|aw|sv)\\s*:",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final int MAX_REFERENCES = 20;
    private final SmtpSettings settings;
    private final Session session;
    private final String address;
    private final Optional<String> displayName;
    private final Optional<String> replyTo;
    private final ThreadTokens tokens;
    private final Clock clock;
    private final Function<MediaSource.PlatformFile, Optional<FetchedMedia>> ownFiles;

    EmailSender(SmtpSettings settings, Session session, String address, Optional<String> displayName,
               Optional<String> replyTo, ThreadTokens tokens, Clock clock,
               Function<MediaSource.PlatformFile, Optional<FetchedMedia>> ownFiles) {
        this.settings = settings;
        this.session = session;
        this.address = address;
        this.displayName = displayName;
        this.replyTo = replyTo;
        this.tokens = tokens;
        this.clock = clock;
        this.ownFiles = ownFiles;
    }

    SendReceipt send(OutboundMessage message) {
        String messageId = tokens.newMessageId(message.thread().conversationToken(), domain());
        MimeMessage mime;
        InternetAddress recipient;
        try {
            recipient = new InternetAddress(message.recipient().platformUserId(), true);
            mime = build(message, messageId);
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new ChannelException(SendFailure.of(FailureKind.INVALID_REQUEST, null,
                    "cannot build email to " + message.recipient().platformUserId() + ": " + e.getMessage()), e);
        }
        try (Transport transport = session.getTransport(settings.tls() == TlsMode.IMPLICIT ? "smtps" : "smtp")) {
            if (settings.authenticates()) {
                transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
            } else {
                transport.connect(settings.host(), settings.port(), null, null);
            }
            transport.sendMessage(mime, new InternetAddress[] {recipient});
        } catch (MessagingException e) {
            throw failure(e);
        }
        return new SendReceipt(messageId, clock.instant());
    }

    /** Connects and logs in without sending anything; a refused login fails as UNAUTHORIZED. */
    void checkLogin() {
        try (Transport transport = session.getTransport(settings.tls() == TlsMode.IMPLICIT ? "smtps" : "smtp")) {
            transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
        } catch (MessagingException e) {
            throw failure(e);
        }
    }

    MimeMessage build(OutboundMessage message, String messageId) throws MessagingException,
            UnsupportedEncodingException {
        MimeMessage mime = new OwnIdMessage(session, messageId);
        // names and subjects come from other people's input: never let a control character into a header
        Optional<String> personal = message.senderName().or(() -> displayName).map(EncodedWords::clean)
                .filter(n -> !n.isEmpty());
        mime.setFrom(personal.isPresent() ? new InternetAddress(address, personal.get(), "UTF-8")
                : new InternetAddress(address));
        if (replyTo.isPresent()) {
            mime.setReplyTo(new InternetAddress[] {new InternetAddress(replyTo.get())});
        }
        mime.setRecipient(Message.RecipientType.TO, new InternetAddress(message.recipient().platformUserId()));
        mime.setSubject(subject(message), "UTF-8");
        mime.setSentDate(Date.from(clock.instant()));
        threadingHeaders(message, mime);
        if (message.automatic()) {
            mime.setHeader("Auto-Submitted", "auto-replied");
            mime.setHeader("X-Auto-Response-Suppress", "All");
        }
        // RFC 8058 one-click unsubscribe for marketing mail; the URL carries its own signed token
        Optional<java.net.URI> unsubscribe = message.marketing().flatMap(MarketingNotice::unsubscribeUrl);
        if (unsubscribe.isPresent()) {
            mime.setHeader("List-Unsubscribe", "<" + unsubscribe.get().toASCIIString() + ">");
            mime.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        body(message.bubble(), mime);
        mime.saveChanges();
        return mime;
    }

    private String subject(OutboundMessage message) {
        Optional<String> token = message.thread().conversationToken()
                .filter(t -> ThreadTokens.TOKEN.matcher(t).matches());
        String base = message.thread().subject().map(EncodedWords::clean).filter(s -> !s.isEmpty())
                .orElse(displayName.map(n -> "Message from " + n).orElse("Message from " + address));
        boolean reply = !message.references().isEmpty() || message.replyToPlatformMessageId().isPresent();
        if (reply && !REPLY_PREFIX.matcher(base).find()) {
            base = "Re: " + base;
        }
        if (token.isPresent() && !base.contains("[#" + token.get() + "]")) {
            base = base + " [#" + token.get() + "]";
        }
        return base;
    }

    private static void threadingHeaders(OutboundMessage message, MimeMessage mime) throws MessagingException {
        LinkedHashSet<String> refs = new LinkedHashSet<>(message.references());
        message.replyToPlatformMessageId().ifPresent(refs::add);
        if (refs.isEmpty()) {
            return;
        }
        List<String> all = new ArrayList<>(refs);
        String parent = message.replyToPlatformMessageId().orElse(all.get(all.size() - 1));
        mime.setHeader("In-Reply-To", "<" + parent + ">");
        if (all.size() > MAX_REFERENCES) {
            // RFC 5322 3.6.4: keep the first (thread root) and the most recent ids
            List<String> trimmed = new ArrayList<>();
            trimmed.add(all.get(0));
            trimmed.addAll(all.subList(all.size() - (MAX_REFERENCES - 1), all.size()));
            all = trimmed;
        }
        StringBuilder references = new StringBuilder();
        for (String id : all) {
            references.append(references.length() == 0 ? "" : " ").append('<').append(id).append('>');
        }
        mime.setHeader("References", MimeUtility.fold(12, references.toString()));
    }

    private void body(Bubble bubble, MimeMessage mime) throws MessagingException {
        if (bubble instanceof Bubble.TextBubble text) {
            if (text.markup() == Markup.HTML) {
                mime.setContent(alternative(text.plain(), text.formatted()));
            } else {
                mime.setText(text.plain(), "UTF-8");
            }
        } else if (bubble instanceof Bubble.MediaBubble media) {
            mediaBody(media, mime);
        } else if (bubble instanceof Bubble.CardsBubble cards) {
            cardsBody(cards, mime);
        } else {
            mime.setText(bubble.plain(), "UTF-8"); // the renderer degrades these for email; send what it says
        }
    }

    private void mediaBody(Bubble.MediaBubble bubble, MimeMessage mime) throws MessagingException {
        Media media = bubble.media();
        String caption = media.plainText();
        if (caption.isEmpty() && bubble.formattedCaption().isPresent()) {
            caption = bubble.markup() == Markup.HTML
                    ? HtmlText.toText(org.jsoup.Jsoup.parse(bubble.formattedCaption().get()))
                    : bubble.formattedCaption().get();
        }
        Optional<byte[]> bytes = Optional.empty();
        Optional<String> mimeType = Optional.of(media.mimeType());
        if (media.source() instanceof MediaSource.Inline inline) {
            bytes = Optional.of(inline.bytes());
        } else if (media.source() instanceof MediaSource.PlatformFile file) {
            Optional<FetchedMedia> fetched = ownFiles.apply(file);
            bytes = fetched.map(FetchedMedia::bytes);
        }
        String name = media.fileName().map(EncodedWords::clean).filter(n -> !n.isEmpty()).orElse("attachment");
        if (bytes.isEmpty()) {
            // a URL is linked rather than downloaded: the channel does not fetch arbitrary URLs on the send path
            String link = media.source() instanceof MediaSource.Url url ? url.uri().toString()
                    : "(file not available by email)";
            String text = (caption.isEmpty() ? "" : caption + "\n\n") + name + ": " + link;
            mime.setText(text, "UTF-8");
            return;
        }
        MimeMultipart mixed = new MimeMultipart("mixed");
        if (!caption.isEmpty()) {
            MimeBodyPart textPart = new MimeBodyPart();
            if (bubble.markup() == Markup.HTML && bubble.formattedCaption().isPresent()) {
                textPart.setContent(alternative(caption, bubble.formattedCaption().get()));
            } else {
                textPart.setText(caption, "UTF-8");
            }
            mixed.addBodyPart(textPart);
        }
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new jakarta.activation.DataHandler(
                new ByteArrayDataSource(bytes.get(), mimeType.get())));
        try {
            attachment.setFileName(MimeUtility.encodeText(name, "UTF-8", null));
        } catch (UnsupportedEncodingException e) {
            attachment.setFileName(name);
        }
        attachment.setDisposition(MimeBodyPart.ATTACHMENT);
        mixed.addBodyPart(attachment);
        mime.setContent(mixed);
    }

    /** A carousel: plain and HTML alternatives, inside multipart/related when card images travel inline. */
    private void cardsBody(Bubble.CardsBubble bubble, MimeMessage mime) throws MessagingException {
        EmailCards.Body body = EmailCards.body(bubble, ownFiles);
        MimeMultipart alternative = alternative(body.plain(), body.html());
        if (body.images().isEmpty()) {
            mime.setContent(alternative);
            return;
        }
        MimeMultipart related = new MimeMultipart("related");
        MimeBodyPart main = new MimeBodyPart();
        main.setContent(alternative);
        related.addBodyPart(main);
        for (EmailCards.InlineImage image : body.images()) {
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(new jakarta.activation.DataHandler(
                    new ByteArrayDataSource(image.bytes(), image.mimeType())));
            part.setContentID("<" + image.contentId() + ">");
            part.setDisposition(MimeBodyPart.INLINE);
            try {
                part.setFileName(MimeUtility.encodeText(EncodedWords.clean(image.name()), "UTF-8", null));
            } catch (UnsupportedEncodingException e) {
                part.setFileName("image");
            }
            related.addBodyPart(part);
        }
        mime.setContent(related);
    }

    private static MimeMultipart alternative(String plain, String html) throws MessagingException {
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart textPart = new MimeBodyPart();
        textPart.setText(plain, "UTF-8");
        alternative.addBodyPart(textPart);
        MimeBodyPart htmlPart = new MimeBodyPart();
        htmlPart.setText(htmlDocument(html), "UTF-8", "html");
        alternative.addBodyPart(htmlPart);
        return alternative;
    }

    /** The renderer's HTML fragment in a minimal document; its line breaks become {@code <br>}. */
    static String htmlDocument(String fragment) {
        return "<html><head><meta charset=\"UTF-8\"></head><body>" + fragment.replace("\n", "<br>\n")
                + "</body></html>";
    }

    private String domain() {
        return address.substring(address.indexOf('@') + 1);
    }

    /** Maps an SMTP failure to what the outbox should do about it. */
    static ChannelException failure(MessagingException e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof AuthenticationFailedException) {
                return new ChannelException(SendFailure.of(FailureKind.UNAUTHORIZED, "535",
                        "SMTP authentication failed: " + oneLine(t.getMessage())), e);
            }
            int code = -1;
            if (t instanceof SMTPAddressFailedException a) {
                code = a.getReturnCode();
            } else if (t instanceof SMTPSenderFailedException s) {
                code = s.getReturnCode();
            } else if (t instanceof SMTPSendFailedException s) {
                code = s.getReturnCode();
            }
            if (code > 0) {
                return new ChannelException(byCode(code, oneLine(t.getMessage())), e);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof SocketTimeoutException || t instanceof java.io.IOException
                    || t instanceof org.eclipse.angus.mail.util.MailConnectException) {
                return new ChannelException(SendFailure.of(FailureKind.UNAVAILABLE, null,
                        "SMTP server unreachable: " + oneLine(t.getMessage())), e);
            }
        }
        if (e instanceof SendFailedException) {
            return new ChannelException(SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, null,
                    "SMTP rejected the recipient: " + oneLine(e.getMessage())), e);
        }
        return new ChannelException(SendFailure.of(FailureKind.UNAVAILABLE, null,
                "SMTP failure: " + oneLine(e.getMessage())), e);
    }

    static SendFailure byCode(int code, String text) {
        String c = String.valueOf(code);
        String description = "SMTP " + text;
        if (code >= 400 && code < 500) {
            if (RATE.matcher(text).find()) {
                return new SendFailure(FailureKind.RATE_LIMITED, Optional.empty(), Optional.of(c), description);
            }
            return SendFailure.of(FailureKind.UNAVAILABLE, c, description);
        }
        switch (code) {
            case 530:
            case 534:
            case 535:
                return SendFailure.of(FailureKind.UNAUTHORIZED, c, description);
            case 550:
            case 551:
            case 553:
                return SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, c, description);
            case 554:
                return SendFailure.of(text.contains("5.7.") ? FailureKind.NOT_ALLOWED
                        : FailureKind.RECIPIENT_UNREACHABLE, c, description);
            default:
                return SendFailure.of(FailureKind.INVALID_REQUEST, c, description);
        }
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t) {
            return m.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip().toLowerCase(Locale.ROOT).isEmpty() ? ""
                : s.replaceAll("\\s+", " ").strip();
    }

    /** A MimeMessage that keeps the Message-ID we generated instead of inventing its own on saveChanges(). */
    private static final class OwnIdMessage extends MimeMessage {
        private final String id;

        OwnIdMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + id + ">");
        }
    }
}
