package dev.switchboard.channel.email;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises bounces that are plain text rather than RFC 3464 delivery status notifications: qmail's "This is the
 * qmail-send program", Exim's "The following address(es) failed", Postfix's "This is the mail system at host",
 * sendmail's "The following addresses had permanent fatal errors", and the like, sent by a mailer-daemon, a postmaster
 * or with an empty Return-Path. The bounced message is found by the Message-ID of the copy the bounce quotes (or
 * attaches as {@code message/rfc822}), else by one of our own {@code sb.} Message-IDs anywhere in the text. Temporary
 * failures ("will keep trying", "delayed") are not bounces. Stateless.
 */
final class TextBounces {
    private static final Pattern FAILURE_TEXT = Pattern.compile(String.join("|",
            "qmail-send program", "wasn't able to deliver", "was not able to deliver",
            "could not be delivered", "couldn't be delivered", "could not deliver", "undeliverable",
            "following address(?:\\(es\\)|es)? failed", "permanent fatal errors?", "permanent error",
            "delivery to the following recipients? failed", "this is the mail system at host",
            "returned mail", "mail delivery failed", "delivery has failed", "message not delivered",
            "не удалось доставить", "не может быть доставлено", "не доставлено", "недоставленное"),
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern TEMPORARY = Pattern.compile(String.join("|",
            "will (?:continue|keep) trying", "still trying", "delivery (?:has been |is )?delayed",
            "has not yet been delivered", "temporary (?:error|failure)", "warning: message"),
            Pattern.CASE_INSENSITIVE);
    /** Where the quoted copy of the bounced message begins, in the formats MTAs use. */
    private static final Pattern COPY_MARKER = Pattern.compile(
            "(?im)^.*(copy of the (?:original )?message|original message (?:follows|headers)|unsent message follows"
                    + "|undelivered message headers|header of the original message|message headers follow"
                    + "|headers of the original message).*$");
    private static final Pattern MESSAGE_ID_LINE = Pattern.compile("(?im)^[ \\t>]*message-id:[ \\t]*<([^<>\\s]+)>");
    private static final Pattern OWN_ID = Pattern.compile("<?(sb\\.[A-Za-z0-9]+\\.[A-Za-z0-9]+\\.[0-9a-f]+@[A-Za-z0-9.-]+)>?");
    private static final Pattern SMTP_REPLY = Pattern.compile("(?m)\\b([45]\\d\\d)[ -]((?:[45]\\.\\d{1,3}\\.\\d{1,3}\\b)?"
            + "[^\\r\\n]*)$");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+'=!#$&*/?^`{|}~-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final int MAX_DIAGNOSTIC = 300;

    private TextBounces() {
    }

    /**
     * The bounce {@code text} reports, if it is a permanent plain-text bounce of a message it identifies.
     *
     * @param from the sender's address (lower case)
     * @param machineSender the sender is a mailer-daemon or postmaster, or the Return-Path is empty
     * @param attachedIds Message-IDs of {@code message/rfc822} (or header-only) parts the bounce attached
     */
    static Optional<ParsedEmail.Bounce> detect(String from, boolean machineSender, Optional<String> subject,
                                               String text, List<String> attachedIds) {
        if (!machineSender) {
            return Optional.empty();
        }
        Matcher marker = COPY_MARKER.matcher(text);
        boolean quotesCopy = marker.find();
        String explanation = quotesCopy ? text.substring(0, marker.start()) : text;
        String copy = quotesCopy ? text.substring(marker.start()) : "";
        String said = subject.orElse("") + "\n" + explanation;
        boolean temporary = TEMPORARY.matcher(said).find() && !said.toLowerCase(Locale.ROOT).contains("permanent");
        if (!FAILURE_TEXT.matcher(said).find() || temporary) {
            return Optional.empty();
        }
        Optional<String> original = attachedIds.stream().findFirst();
        if (original.isEmpty()) {
            Matcher id = MESSAGE_ID_LINE.matcher(copy.isEmpty() ? text : copy);
            original = id.find() ? Optional.of(id.group(1)) : Optional.empty();
        }
        if (original.isEmpty()) {
            Matcher own = OWN_ID.matcher(text);
            original = own.find() ? Optional.of(own.group(1)) : Optional.empty();
        }
        if (original.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ParsedEmail.Bounce(original, recipient(explanation, from), diagnostic(explanation)));
    }

    private static Optional<String> recipient(String explanation, String from) {
        Matcher m = ADDRESS.matcher(explanation);
        while (m.find()) {
            String a = m.group().toLowerCase(Locale.ROOT);
            String local = a.substring(0, a.indexOf('@'));
            if (!a.equals(from) && !local.equals("mailer-daemon") && !local.equals("postmaster")) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private static String diagnostic(String explanation) {
        Matcher m = SMTP_REPLY.matcher(explanation);
        String line = m.find() ? m.group(1) + " " + m.group(2).strip() : "delivery failed";
        String d = "plain-text bounce: " + EncodedWords.clean(line);
        return d.length() > MAX_DIAGNOSTIC ? d.substring(0, MAX_DIAGNOSTIC) : d;
    }
}
