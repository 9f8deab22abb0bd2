package dev.switchboard.channel.email;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One received email, parsed and normalised but not yet tied to a channel: ids, sender, recipients, subject, thread
 * references, the readable text (new text and full text), attachment descriptions (never their bytes), whether a
 * machine sent it, and, for a delivery status notification, which of our messages bounced and why.
 *
 * @param eventId the Message-ID without angle brackets, or the hex SHA-256 of the raw bytes when there is none
 * @param recipients every address in To, Cc, Delivered-To, X-Original-To (for plus-address tokens)
 * @param references In-Reply-To and References ids without angle brackets, oldest first, no duplicates
 * @param automatedReason why the message counts as automated (auto-reply, list, bulk, bounce), when it does
 * @param forward the subject marks it as a forward, which starts a new thread rather than continuing one
 */
record ParsedEmail(String eventId, Optional<String> messageId, Sender from, List<String> recipients,
                          Optional<String> subject, Optional<Instant> date, List<String> references,
                          String newText, String fullText, boolean quoteStripped, List<Attachment> attachments,
                          Optional<String> automatedReason, Optional<Bounce> bounce, boolean forward) {

    public ParsedEmail {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(from, "from");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(date, "date");
        references = List.copyOf(references);
        Objects.requireNonNull(newText, "newText");
        Objects.requireNonNull(fullText, "fullText");
        attachments = List.copyOf(attachments);
        Objects.requireNonNull(automatedReason, "automatedReason");
        Objects.requireNonNull(bounce, "bounce");
    }

    public boolean automated() {
        return automatedReason.isPresent();
    }

    /** The sender: a lower-cased address and the display name the sender's client put next to it. */
    public record Sender(String address, Optional<String> name) {
        public Sender {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * An attachment or inline image, described but not loaded.
     *
     * @param partPath the IMAP-style section number ({@code 2}, {@code 1.2}) to fetch the bytes with later
     * @param size decoded size in bytes
     * @param inline shown inside the body (Content-Disposition inline or referenced by Content-ID)
     */
    public record Attachment(String partPath, String mimeType, Optional<String> fileName, long size, boolean inline,
                             Optional<String> contentId) {
        public Attachment {
            Objects.requireNonNull(partPath, "partPath");
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(contentId, "contentId");
        }
    }

    /**
     * What a delivery status notification says about a message we sent.
     *
     * @param originalMessageId the bounced message's Message-ID (without angle brackets), when the report quotes it
     * @param recipient the address that could not be reached, when the report names it
     * @param diagnostic the status and diagnostic code the reporting server gave
     */
    public record Bounce(Optional<String> originalMessageId, Optional<String> recipient, String diagnostic) {
        public Bounce {
            Objects.requireNonNull(originalMessageId, "originalMessageId");
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(diagnostic, "diagnostic");
        }
    }
}
