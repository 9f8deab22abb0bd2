package dev.switchboard.channel.email;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a received mail was sent by a machine (RFC 3834 and common practice), so that nothing ever
 * auto-answers it and no mail loop can start: {@code Auto-Submitted} other than {@code no}, {@code Precedence} or
 * {@code X-Precedence} of bulk/junk/list/auto_reply, {@code X-Autoreply}/{@code X-Autorespond}, Exchange's
 * {@code X-Auto-Response-Suppress}-style auto-replies, any {@code List-*} header, an empty {@code Return-Path},
 * or a sender that is {@code mailer-daemon@}, {@code postmaster@}, {@code *-request@}, {@code owner-*@},
 * {@code noreply@}/{@code no-reply@}. Bounce detection is separate (see {@link EmailParser}).
 */
final class MailClassifier {
    private static final Set<String> BULK_PRECEDENCE = Set.of("bulk", "junk", "list", "auto_reply", "auto-reply");
    private static final String[] LIST_HEADERS = {"List-Id", "List-Unsubscribe", "List-Post", "List-Help",
            "List-Subscribe", "List-Owner", "List-Archive"};

    private MailClassifier() {
    }

    /** Why {@code message} is automated, or empty when a person sent it. */
    public static Optional<String> automatedReason(MimeMessage message, Optional<String> fromAddress)
            throws MessagingException {
        String autoSubmitted = first(message, "Auto-Submitted");
        if (autoSubmitted != null && !autoSubmitted.strip().toLowerCase(Locale.ROOT).startsWith("no")) {
            return Optional.of("Auto-Submitted: " + autoSubmitted.strip());
        }
        for (String header : new String[] {"Precedence", "X-Precedence"}) {
            String value = first(message, header);
            if (value != null && BULK_PRECEDENCE.contains(value.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(header + ": " + value.strip());
            }
        }
        for (String header : new String[] {"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-AutoReply-From",
                "X-Mail-Autoreply"}) {
            if (first(message, header) != null) {
                return Optional.of(header + " present");
            }
        }
        String autoResponseSuppress = first(message, "X-Auto-Response-Suppress");
        if (autoResponseSuppress != null && autoResponseSuppress.toLowerCase(Locale.ROOT).contains("all")
                && first(message, "X-MS-Exchange-Generated-Message-Source") != null) {
            return Optional.of("Exchange-generated message");
        }
        for (String header : LIST_HEADERS) {
            if (first(message, header) != null) {
                return Optional.of(header + " present (mailing list)");
            }
        }
        String returnPath = first(message, "Return-Path");
        if (returnPath != null && returnPath.replaceAll("\\s", "").equals("<>")) {
            return Optional.of("empty Return-Path");
        }
        if (fromAddress.isPresent()) {
            String local = fromAddress.get().substring(0, Math.max(0, fromAddress.get().indexOf('@')))
                    .toLowerCase(Locale.ROOT);
            if (local.equals("mailer-daemon") || local.equals("postmaster") || local.endsWith("-request")
                    || local.startsWith("owner-") || local.equals("noreply") || local.equals("no-reply")
                    || local.equals("do-not-reply") || local.equals("donotreply")) {
                return Optional.of("automated sender " + fromAddress.get());
            }
        }
        return Optional.empty();
    }

    /** Whether the sender is a mail system reporting on delivery: mailer-daemon, postmaster, or no Return-Path. */
    static boolean bounceSender(MimeMessage message, String fromAddress) throws MessagingException {
        String local = fromAddress.substring(0, Math.max(0, fromAddress.indexOf('@'))).toLowerCase(Locale.ROOT);
        String returnPath = first(message, "Return-Path");
        return local.equals("mailer-daemon") || local.equals("postmaster")
                || returnPath != null && returnPath.replaceAll("\\s", "").equals("<>");
    }

    private static String first(MimeMessage message, String name) throws MessagingException {
        return message.getHeader(name, null);
    }
}
