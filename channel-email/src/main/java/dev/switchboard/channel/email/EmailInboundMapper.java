package dev.switchboard.channel.email;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Part;
import dev.switchboard.content.Text;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Turns the raw bytes of one received email into what the inbox stores: a {@code MessageReceived} (new text as
 * content, attachments as {@link MediaSource.PlatformFile} references, the full original as an {@code original.eml}
 * reference when a quote or signature was cut, thread hints, the sender as verified evidence, the automated flag), a
 * {@code DeliveryUpdate} FAILED for a bounce of one of our messages, or a {@link RejectedInput} with the reason for
 * broken MIME. Pure: no I/O, so it is benchmarked and tested without servers. The channel's inbound mapper; the
 * public way to run it offline is {@link EmailMessages}.
 *
 * <p>Media file ids are {@code SOURCE/PART/EVENTID}: SOURCE is where the raw message can be found again (for IMAP
 * {@code UIDVALIDITY.UID}), PART the MIME section ({@code 0} for the whole message), EVENTID the Message-ID.
 */
final class EmailInboundMapper {
    /** The part path of the whole raw message in a media file id. */
    static final String WHOLE_MESSAGE = "0";
    private static final Pattern SUBJECT_PREFIX = Pattern.compile(
            "^\\s*((re|fwd?|fw|aw|wg|sv|tr|ответ|отв|на|пересл|переслано)(\\[\\d+])?\\s*:\\s*)+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private final ChannelId channel;
    private final TenantId tenant;
    private final String mailbox;
    private final ThreadTokens tokens;
    private final Clock clock;
    private final EmailParser parser = new EmailParser();

    EmailInboundMapper(ChannelId channel, TenantId tenant, String mailbox, ThreadTokens tokens, Clock clock) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.mailbox = mailbox.toLowerCase(Locale.ROOT);
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A mapper for mailbox {@code address} of {@code channel}, for reading mail offline. */
    static EmailInboundMapper forMailbox(ChannelId channel, TenantId tenant, String address,
                                             byte[] threadTokenSecret, Clock clock) {
        return new EmailInboundMapper(channel, tenant, address, new ThreadTokens(threadTokenSecret), clock);
    }

    /** The result of mapping one raw message: an event to deliver or an input to quarantine. */
    sealed interface Outcome permits Event, Rejected {
    }

    /** The message became an event. */
    record Event(InboundEvent event, ParsedEmail parsed) implements Outcome {
    }

    /** The message could not be parsed; quarantine it. */
    record Rejected(RejectedInput input) implements Outcome {
    }

    /** Maps {@code raw}, found at {@code source} (for IMAP {@code UIDVALIDITY.UID}). Never throws for bad mail. */
    Outcome map(byte[] raw, String source) {
        Instant now = clock.instant();
        ParsedEmail parsed;
        try {
            parsed = parser.parse(raw);
        } catch (MalformedEmailException e) {
            Optional<String> id = Optional.empty();
            try {
                id = Optional.of(EmailParser.sha256(raw));
            } catch (RuntimeException ignored) {
                // the hash of bytes cannot fail in practice; the id is only a dedupe aid
            }
            return new Rejected(new RejectedInput(channel, id, raw, e.getMessage(), now));
        } catch (RuntimeException e) {
            // a bug or an unexpected library failure on hostile input must quarantine, not kill the receive loop
            return new Rejected(new RejectedInput(channel, Optional.of(EmailParser.sha256(raw)), raw,
                    "unparseable message: " + e, now));
        }
        return new Event(toEvent(parsed, source, now), parsed);
    }

    InboundEvent toEvent(ParsedEmail p, String source, Instant now) {
        Instant at = p.date().orElse(now);
        if (p.bounce().isPresent() && p.bounce().get().originalMessageId().isPresent()) {
            ParsedEmail.Bounce b = p.bounce().get();
            String who = b.recipient().orElse(p.from().address());
            ChannelAccount account = ChannelAccount.of(tenant, channel, who, Profile.EMPTY);
            return new InboundEvent.DeliveryUpdate(p.eventId(), account, at, b.originalMessageId().get(),
                    DeliveryStatus.FAILED, Optional.of(b.diagnostic()));
        }
        Profile profile = p.from().name().map(Profile::named).orElse(Profile.EMPTY);
        ChannelAccount account = ChannelAccount.of(tenant, channel, p.from().address(), profile);
        List<Part> parts = new ArrayList<>();
        String text = p.newText();
        if (text.isEmpty() && p.attachments().isEmpty()) {
            text = p.subject().orElse("");
        }
        if (!text.isEmpty()) {
            parts.add(Text.plain(text));
        }
        for (ParsedEmail.Attachment a : p.attachments()) {
            parts.add(new Media(kindOf(a.mimeType()), a.mimeType(), a.fileName(), OptionalLong.of(a.size()),
                    new MediaSource.PlatformFile(channel, fileId(source, a.partPath(), p.eventId())), Optional.empty(),
                    a.contentId(), a.inline())); // the Content-ID lets a host resolve the body's cid: references
        }
        if (p.quoteStripped()) {
            parts.add(new Media(MediaKind.FILE, "message/rfc822", Optional.of("original.eml"), OptionalLong.empty(),
                    new MediaSource.PlatformFile(channel, fileId(source, WHOLE_MESSAGE, p.eventId())),
                    Optional.empty()));
        }
        List<Evidence> evidence = List.of();
        boolean machineSender = p.automatedReason().map(r -> r.startsWith("automated sender")
                || r.contains("mailing list")).orElse(false);
        if (!machineSender) {
            evidence = List.of(Evidence.verified(new ContactPoint(ContactPoint.Kind.EMAIL, p.from().address()),
                    "email.sender", at));
        }
        return new InboundEvent.MessageReceived(p.eventId(), account, at, p.messageId().orElse(p.eventId()),
                new Content(parts), threadHints(p), evidence, p.automated());
    }

    ThreadHints threadHints(ParsedEmail p) {
        Optional<String> subject = p.subject().map(EmailInboundMapper::cleanSubject).filter(s -> !s.isEmpty());
        if (p.forward()) {
            return new ThreadHints(List.of(), Optional.empty(), subject); // a forward starts a new conversation
        }
        Optional<String> token = tokens.tokenFromOwnIds(p.references())
                .or(() -> ThreadTokens.tokenFromPlusAddress(p.recipients(), mailbox))
                .or(() -> p.subject().flatMap(ThreadTokens::tokenFromSubject));
        return new ThreadHints(p.references(), token, subject);
    }

    /** The subject without reply/forward prefixes and conversation tags: what the conversation is about. */
    static String cleanSubject(String subject) {
        String s = subject.replaceAll("\\s*\\[#" + ThreadTokens.TOKEN.pattern() + "]\\s*", " ");
        return SUBJECT_PREFIX.matcher(s).replaceFirst("").strip();
    }

    static MediaKind kindOf(String mimeType) {
        String m = mimeType.toLowerCase(Locale.ROOT);
        if (m.startsWith("image/")) {
            return MediaKind.IMAGE;
        }
        if (m.startsWith("audio/")) {
            return MediaKind.AUDIO;
        }
        if (m.startsWith("video/")) {
            return MediaKind.VIDEO;
        }
        return MediaKind.FILE;
    }

    static String fileId(String source, String partPath, String eventId) {
        return source + "/" + partPath + "/" + eventId;
    }

    @Override
    public String toString() {
        return "EmailInboundMapper[" + channel + ", " + mailbox + "]";
    }
}
