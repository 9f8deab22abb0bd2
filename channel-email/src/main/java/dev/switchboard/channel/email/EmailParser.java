package dev.switchboard.channel.email;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.ParseException;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;

/**
 * Parses raw RFC 822 bytes into a {@link ParsedEmail}, without any server: multipart/alternative (text/plain
 * preferred, HTML rendered to readable text with jsoup when there is no plain part), multipart/mixed and related
 * (attachments and inline images described, never kept in memory), charsets real mail uses (labels Java lacks are
 * normalised), RFC 2047 subjects and names, RFC 2231 and RFC 2047 file names, quoted-reply stripping, the automated
 * mail classification and delivery status notifications. Structurally broken MIME (a multipart without boundary or
 * without its closing boundary, invalid or truncated base64, no sender) fails with {@link MalformedEmailException}
 * saying why. Thread-safe and stateless apart from a private mail {@link Session}.
 */
final class EmailParser {
    private static final Pattern ANGLE_ID = Pattern.compile("<([^<>\\s]+)>");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+'=!#$&*/?^`{|}~-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern FORWARD = Pattern.compile("^\\s*(fwd?|fw|пересл|переслано|wg|tr)\\s*:",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final int MAX_DEPTH = 20;
    private final Session session;

    public EmailParser() {
        Properties props = new Properties();
        props.setProperty("mail.mime.allowutf8", "true"); // unencoded UTF-8 headers (RFC 6532) decode as UTF-8
        this.session = Session.getInstance(props);
    }

    /** Parses {@code raw}; fails with the reason when the MIME structure is too broken to trust. */
    public ParsedEmail parse(byte[] raw) throws MalformedEmailException {
        MimeMessage message;
        try {
            message = new MimeMessage(session, new SharedByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw new MalformedEmailException("unreadable message headers: " + e.getMessage(), e);
        }
        try {
            return parse(message, raw);
        } catch (MessagingException e) {
            throw new MalformedEmailException("broken MIME structure: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MalformedEmailException("unreadable MIME body: " + e.getMessage(), e);
        }
    }

    private ParsedEmail parse(MimeMessage message, byte[] raw) throws MessagingException, IOException,
            MalformedEmailException {
        Optional<String> messageId = firstId(message.getHeader("Message-ID", null));
        String eventId = messageId.isPresent() ? messageId.get() : stableHash(message);
        ParsedEmail.Sender from = sender(message);
        Optional<String> subject = Optional.ofNullable(message.getHeader("Subject", null))
                .map(EncodedWords::repairEightBit).map(EncodedWords::decode).filter(s -> !s.isEmpty());
        Optional<Instant> date = Optional.empty();
        try {
            date = Optional.ofNullable(message.getSentDate()).map(java.util.Date::toInstant);
        } catch (MessagingException e) {
            // an unparseable Date header is common in spam and old clients; the receive time stands in
        }
        Set<String> refs = new LinkedHashSet<>(ids(message.getHeader("References", " ")));
        refs.addAll(ids(message.getHeader("In-Reply-To", " ")));
        messageId.ifPresent(refs::remove);

        Walk walk = new Walk();
        walkPart(message, "", walk, 0, true);

        QuoteStripper.Result text;
        if (!walk.plain.isEmpty()) {
            text = QuoteStripper.stripText(String.join("\n\n", walk.plain));
        } else if (!walk.html.isEmpty()) {
            text = QuoteStripper.stripHtml(Jsoup.parse(String.join("\n", walk.html)));
        } else {
            text = new QuoteStripper.Result("", "", false);
        }
        Optional<ParsedEmail.Bounce> bounce = Optional.empty();
        // only "failed" reports (or reports without an action) are failures; "delayed"/"delivered"/"relayed" are not
        if (walk.deliveryStatus != null && (walk.action == null || walk.action.startsWith("failed"))) {
            bounce = Optional.of(new ParsedEmail.Bounce(Optional.ofNullable(walk.originalMessageId),
                    Optional.ofNullable(walk.finalRecipient), walk.deliveryStatus));
        }
        if (bounce.isEmpty() && walk.deliveryStatus == null) {
            bounce = TextBounces.detect(from.address(), MailClassifier.bounceSender(message, from.address()), subject,
                    !walk.plain.isEmpty() ? String.join("\n\n", walk.plain) : text.fullText(), walk.attachedIds);
        }
        Optional<String> automated = MailClassifier.automatedReason(message, Optional.of(from.address()));
        if (bounce.isPresent() && automated.isEmpty()) {
            automated = Optional.of("delivery status notification");
        }
        boolean forward = subject.map(s -> FORWARD.matcher(s).find()).orElse(false);
        return new ParsedEmail(eventId, messageId, from, recipients(message), subject, date, List.copyOf(refs),
                text.newText(), text.fullText(), text.stripped(), walk.attachments, automated, bounce, forward);
    }

    /** What a walk over the MIME tree collected. */
    private static final class Walk {
        final List<String> plain = new ArrayList<>();
        final List<String> html = new ArrayList<>();
        final List<ParsedEmail.Attachment> attachments = new ArrayList<>();
        String deliveryStatus;
        String originalMessageId;
        String finalRecipient;
        String action;
        boolean inReport;
        /** Message-IDs of messages attached (message/rfc822) outside a delivery report: a plain bounce's copy. */
        final List<String> attachedIds = new ArrayList<>();
    }

    private void walkPart(MimePart part, String path, Walk walk, int depth, boolean textWanted)
            throws MessagingException, IOException, MalformedEmailException {
        if (depth > MAX_DEPTH) {
            throw new MalformedEmailException("MIME nesting deeper than " + MAX_DEPTH + " levels at part " + path);
        }
        ContentType type = contentType(part, path);
        String base = type.getBaseType().toLowerCase(Locale.ROOT);
        if (type.getPrimaryType().equalsIgnoreCase("multipart")) {
            walkMultipart(part, type, path, walk, depth, textWanted);
            return;
        }
        String where = path.isEmpty() ? "the message body" : "part " + path;
        if (walk.inReport && base.equals("message/delivery-status")) {
            walk.deliveryStatus = deliveryDiagnostic(decodedBytes(part, where), walk);
            return;
        }
        if (walk.inReport && (base.equals("message/rfc822") || base.equals("text/rfc822-headers")
                || base.equals("message/rfc822-headers"))) {
            InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(decodedBytes(part, where)));
            walk.originalMessageId = firstId(headers.getHeader("Message-ID", null)).orElse(null);
            return;
        }
        if (!walk.inReport && (base.equals("message/rfc822") || base.equals("text/rfc822-headers")
                || base.equals("message/rfc822-headers"))) {
            attachedId(part, where).ifPresent(walk.attachedIds::add);
        }
        String disposition = disposition(part);
        Optional<String> fileName = fileName(part);
        boolean attachment = "attachment".equals(disposition) || fileName.isPresent();
        if (textWanted && !attachment && (base.equals("text/plain") || base.equals("text/html"))) {
            String text = MailCharsets.decode(decodedBytes(part, where),
                    MailCharsets.forPart(type.getParameter("charset")));
            (base.equals("text/plain") ? walk.plain : walk.html).add(text);
            return;
        }
        if (!textWanted && !attachment && (base.equals("text/plain") || base.equals("text/html"))) {
            decodedSize(part, where); // the alternative we do not show must still be valid MIME
            return;
        }
        Optional<String> contentId = Optional.ofNullable(part.getContentID()).flatMap(EmailParser::firstId);
        boolean inline = "inline".equals(disposition) || (contentId.isPresent() && !"attachment".equals(disposition));
        Optional<String> name = fileName.or(() -> base.equals("message/rfc822") ? Optional.of("message.eml")
                : Optional.empty());
        walk.attachments.add(new ParsedEmail.Attachment(path.isEmpty() ? "1" : path, base, name,
                decodedSize(part, where), inline, contentId));
    }

    /** The Message-ID of an attached message, reading only its header block. */
    private static Optional<String> attachedId(MimePart part, String where) throws MessagingException,
            MalformedEmailException {
        validateBase64(part, where);
        try (InputStream in = part.getInputStream()) {
            return firstId(new InternetHeaders(in).getHeader("Message-ID", null));
        } catch (IOException | MessagingException e) {
            return Optional.empty(); // an unreadable attached copy is still an attachment, just not a bounce target
        }
    }

    private void walkMultipart(MimePart part, ContentType type, String path, Walk walk, int depth,
                               boolean textWanted) throws MessagingException, IOException, MalformedEmailException {
        String where = path.isEmpty() ? "the message" : "part " + path;
        String boundary = type.getParameter("boundary");
        if (boundary == null || boundary.isBlank()) {
            throw new MalformedEmailException(type.getBaseType() + " in " + where + " has no boundary parameter");
        }
        MimeMultipart multipart;
        try {
            multipart = new MimeMultipart(new jakarta.mail.internet.MimePartDataSource(part));
        } catch (MessagingException e) {
            throw new MalformedEmailException("unparseable " + type.getBaseType() + " in " + where + ": "
                    + e.getMessage(), e);
        }
        int count;
        try {
            count = multipart.getCount();
        } catch (MessagingException e) {
            throw new MalformedEmailException("unparseable " + type.getBaseType() + " in " + where + ": "
                    + e.getMessage(), e);
        }
        if (!multipart.isComplete()) {
            throw new MalformedEmailException(type.getBaseType() + " in " + where
                    + " is not terminated (closing boundary --" + boundary + "-- missing): truncated message");
        }
        if (count == 0) {
            throw new MalformedEmailException(type.getBaseType() + " in " + where + " has no parts (boundary "
                    + boundary + " never found)");
        }
        String subtype = type.getSubType().toLowerCase(Locale.ROOT);
        int shown = -1;
        if (subtype.equals("alternative")) {
            shown = count - 1;
            for (int i = 0; i < count; i++) {
                if (contentType((MimePart) multipart.getBodyPart(i), childPath(path, i))
                        .match("text/plain")) {
                    shown = i;
                    break;
                }
            }
        }
        boolean report = subtype.equals("report");
        if (report) {
            walk.inReport = true;
        }
        for (int i = 0; i < count; i++) {
            BodyPart child = multipart.getBodyPart(i);
            boolean wanted = textWanted && (shown < 0 || shown == i);
            if (report && i > 0) {
                wanted = false; // only the human-readable first part of a report is text
            }
            walkPart((MimeBodyPart) child, childPath(path, i), walk, depth + 1, wanted);
        }
    }

    private static String childPath(String path, int index) {
        return path.isEmpty() ? String.valueOf(index + 1) : path + "." + (index + 1);
    }

    private static ContentType contentType(MimePart part, String path) throws MessagingException,
            MalformedEmailException {
        String header = part.getHeader("Content-Type", null);
        if (header == null) {
            return new ContentType("text", "plain", null);
        }
        try {
            return new ContentType(header);
        } catch (ParseException e) {
            // RFC 2045: an invalid Content-Type is treated as text/plain; a broken multipart one is still caught below
            if (header.toLowerCase(Locale.ROOT).contains("multipart")) {
                throw new MalformedEmailException("invalid Content-Type \"" + header + "\" at "
                        + (path.isEmpty() ? "the message" : "part " + path));
            }
            return new ContentType("text", "plain", null);
        }
    }

    private static String disposition(MimePart part) throws MessagingException {
        String header = part.getHeader("Content-Disposition", null);
        if (header == null) {
            return null;
        }
        try {
            return new ContentDisposition(header).getDisposition().toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            return header.toLowerCase(Locale.ROOT).startsWith("attachment") ? "attachment" : "inline";
        }
    }

    /** The file name from Content-Disposition (RFC 2231 or RFC 2047 encoded) or the Content-Type name parameter. */
    private static Optional<String> fileName(MimePart part) throws MessagingException {
        String name = null;
        String cd = part.getHeader("Content-Disposition", null);
        if (cd != null) {
            try {
                name = new ContentDisposition(cd).getParameter("filename");
            } catch (ParseException e) {
                name = null;
            }
        }
        if (name == null) {
            String ct = part.getHeader("Content-Type", null);
            if (ct != null) {
                try {
                    name = new ContentType(ct).getParameter("name");
                } catch (ParseException e) {
                    name = null;
                }
            }
        }
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String decoded = EncodedWords.decode(EncodedWords.repairEightBit(name));
        // never let a name carry a path; keep the last segment
        decoded = decoded.substring(Math.max(decoded.lastIndexOf('/'), decoded.lastIndexOf('\\')) + 1);
        return decoded.isBlank() ? Optional.empty() : Optional.of(decoded);
    }

    /** The decoded bytes of a small part (text, reports), with base64 validated first. */
    private static byte[] decodedBytes(MimePart part, String where) throws MessagingException,
            MalformedEmailException {
        validateBase64(part, where);
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new MalformedEmailException("cannot decode " + where + ": " + e.getMessage(), e);
        }
    }

    /** The decoded size of a part, streaming, so a 10 MB attachment is counted without being held. */
    private static long decodedSize(MimePart part, String where) throws MessagingException,
            MalformedEmailException {
        long base64 = validateBase64(part, where);
        if (base64 >= 0) {
            return base64;
        }
        try (InputStream in = part.getInputStream()) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new MalformedEmailException("cannot decode " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks a base64 part strictly (only the alphabet, whitespace and final padding, a length that is a multiple of
     * four) and returns its decoded size; -1 when the part is not base64. Angus' decoder silently skips garbage,
     * which would hand the customer's agent a corrupted file instead of a quarantined message.
     */
    private static long validateBase64(MimePart part, String where) throws MessagingException,
            MalformedEmailException {
        String encoding = part.getEncoding();
        if (encoding == null || !encoding.trim().equalsIgnoreCase("base64")) {
            return -1;
        }
        InputStream raw;
        try {
            raw = part instanceof MimeBodyPart body ? body.getRawInputStream()
                    : ((MimeMessage) part).getRawInputStream();
        } catch (MessagingException e) {
            throw new MalformedEmailException("cannot read " + where + ": " + e.getMessage(), e);
        }
        long symbols = 0;
        int padding = 0;
        byte[] buffer = new byte[8192];
        try (InputStream in = raw) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    int c = buffer[i] & 0xff;
                    if (c == '=') {
                        padding++;
                    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                        continue;
                    } else if (padding > 0 || !isBase64(c)) {
                        throw new MalformedEmailException("invalid base64 in " + where + ": unexpected "
                                + (padding > 0 ? "data after padding" : "character 0x" + Integer.toHexString(c)));
                    } else {
                        symbols++;
                    }
                }
            }
        } catch (IOException e) {
            throw new MalformedEmailException("cannot read " + where + ": " + e.getMessage(), e);
        }
        if (padding > 2 || (symbols + padding) % 4 != 0) {
            throw new MalformedEmailException("invalid base64 in " + where + ": truncated (" + (symbols + padding)
                    + " symbols is not a multiple of 4)");
        }
        return symbols * 3 / 4;
    }

    private static boolean isBase64(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    private static String deliveryDiagnostic(byte[] bytes, Walk walk) {
        String text = new String(bytes, StandardCharsets.UTF_8).replaceAll("\\r?\\n[ \\t]+", " ");
        String status = field(text, "Status");
        String diagnostic = field(text, "Diagnostic-Code");
        String action = field(text, "Action");
        walk.action = action == null ? null : action.toLowerCase(Locale.ROOT);
        String recipient = field(text, "Final-Recipient");
        if (recipient == null) {
            recipient = field(text, "Original-Recipient");
        }
        if (recipient != null) {
            Matcher m = ADDRESS.matcher(recipient);
            walk.finalRecipient = m.find() ? m.group().toLowerCase(Locale.ROOT) : null;
        }
        StringBuilder sb = new StringBuilder();
        if (action != null) {
            sb.append("action ").append(action);
        }
        if (status != null) {
            sb.append(sb.length() > 0 ? ", " : "").append("status ").append(status);
        }
        if (diagnostic != null) {
            sb.append(sb.length() > 0 ? ": " : "").append(diagnostic.replaceFirst("(?i)^smtp;\\s*", ""));
        }
        return sb.length() == 0 ? "delivery failed (no diagnostic given)" : sb.toString();
    }

    private static String field(String text, String name) {
        Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.+)$").matcher(text);
        return m.find() ? m.group(1).strip() : null;
    }

    private static ParsedEmail.Sender sender(MimeMessage message) throws MessagingException,
            MalformedEmailException {
        for (String header : new String[] {"From", "Sender", "Reply-To"}) {
            String value = message.getHeader(header, ",");
            if (value == null || value.isBlank()) {
                continue;
            }
            try {
                InternetAddress[] parsed = InternetAddress.parseHeader(EncodedWords.repairEightBit(value), false);
                for (InternetAddress a : parsed) {
                    if (a.getAddress() != null && a.getAddress().contains("@")
                            && !a.getAddress().matches(".*[\\s<>].*")) {
                        Optional<String> name = Optional.ofNullable(a.getPersonal()).map(EncodedWords::decode)
                                .map(s -> s.replace("\"", "").strip()).filter(s -> !s.isEmpty());
                        return new ParsedEmail.Sender(a.getAddress().strip().toLowerCase(Locale.ROOT), name);
                    }
                }
                Matcher m = ADDRESS.matcher(value); // parsed, but not into a usable address
                if (m.find()) {
                    return new ParsedEmail.Sender(m.group().toLowerCase(Locale.ROOT), Optional.empty());
                }
            } catch (AddressException e) {
                Matcher m = ADDRESS.matcher(value);
                if (m.find()) {
                    return new ParsedEmail.Sender(m.group().toLowerCase(Locale.ROOT), Optional.empty());
                }
            }
        }
        String returnPath = message.getHeader("Return-Path", null);
        if (returnPath != null) {
            Matcher m = ADDRESS.matcher(returnPath);
            if (m.find()) {
                return new ParsedEmail.Sender(m.group().toLowerCase(Locale.ROOT), Optional.empty());
            }
        }
        throw new MalformedEmailException("no sender address (From, Sender, Reply-To and Return-Path are all "
                + "missing or unreadable)");
    }

    private static List<String> recipients(MimeMessage message) throws MessagingException {
        List<String> out = new ArrayList<>();
        for (String header : new String[] {"To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"}) {
            String[] values = message.getHeader(header);
            if (values == null) {
                continue;
            }
            for (String v : values) {
                Matcher m = ADDRESS.matcher(v);
                while (m.find()) {
                    out.add(m.group());
                }
            }
        }
        return out;
    }

    /** The first id in a Message-ID style header, without angle brackets. */
    static Optional<String> firstId(String header) {
        if (header == null) {
            return Optional.empty();
        }
        List<String> ids = ids(header);
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    /** Every id in an In-Reply-To/References style header; bare ids without brackets are accepted too. */
    static List<String> ids(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Matcher m = ANGLE_ID.matcher(header);
        while (m.find()) {
            out.add(m.group(1));
        }
        if (out.isEmpty()) {
            for (String token : header.trim().split("[\\s,]+")) {
                if (token.contains("@")) {
                    out.add(token.replace("<", "").replace(">", ""));
                }
            }
        }
        return out;
    }

    /** The headers that identify a message without a Message-ID; trace headers (Received...) change in transit. */
    private static final String[] STABLE_HEADERS = {"From", "Sender", "To", "Cc", "Date", "Subject", "In-Reply-To",
            "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};

    /**
     * The event id of a message without a Message-ID: the SHA-256 of the headers a relay does not touch (unfolded,
     * trimmed) and of the body bytes, so a redelivery with one more {@code Received:} or {@code Delivered-To:}
     * header (another MTA hop, a copy fetched again) is recognised as the same message.
     */
    static String stableHash(MimeMessage message) throws MessagingException, IOException {
        MessageDigest digest = sha256Digest();
        for (String name : STABLE_HEADERS) {
            String[] values = message.getHeader(name);
            digest.update((name.toLowerCase(Locale.ROOT) + ":").getBytes(StandardCharsets.UTF_8));
            if (values != null) {
                for (String v : values) {
                    digest.update(v.replaceAll("\\r?\\n[ \\t]*", " ").strip().getBytes(StandardCharsets.UTF_8));
                    digest.update((byte) 0);
                }
            }
            digest.update((byte) '\n');
        }
        try (InputStream body = message.getRawInputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = body.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
