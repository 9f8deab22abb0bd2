package dev.switchboard.channel.email;

import dev.switchboard.channel.ConfigChecks;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.util.Objects;

/**
 * Reads raw emails offline exactly as an {@link EmailChannel} reads its mailbox, without any server: the same MIME
 * parsing, charset repair, quote stripping, automated-mail classification, threading and bounce detection, ending in
 * the same {@link InboundEvent} (or the same quarantine record for broken MIME). For hosts that import an archive of
 * {@code .eml} files or want to see what the channel makes of a message, and for benchmarks and fuzz tests. This is
 * the only public entry point to the channel's parsing; the parser classes behind it are internal and may change.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * EmailMessages reader = EmailMessages.forMailbox(ChannelId.of("email-support"), TenantId.DEFAULT,
 *     "support@shop.example", threadTokenSecret, Clock.systemUTC());
 * EmailMessages.Outcome outcome = reader.read(Files.readAllBytes(eml), "archive-1");
 * if (outcome instanceof EmailMessages.Received received) {
 *     handle(received.event());
 * }
 * }</pre>
 */
public final class EmailMessages {
    private final EmailInboundMapper mapper;

    private EmailMessages(EmailInboundMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * A reader for mailbox {@code address} of channel {@code channel}: events name that channel and tenant, replies to
     * our own messages are threaded with {@code threadTokenSecret} (the channel's, so tokens it signed are
     * recognised), and {@code clock} dates messages without a usable Date header.
     *
     * @throws IllegalArgumentException naming the option when an argument is missing, {@code address} is not an
     *     address or the secret is shorter than 16 bytes (the secret's value is never shown)
     */
    public static EmailMessages forMailbox(ChannelId channel, TenantId tenant, String address,
                                           byte[] threadTokenSecret, Clock clock) {
        ConfigChecks.required(channel, "channel");
        ConfigChecks.required(tenant, "tenant");
        ConfigChecks.required(clock, "clock");
        String mailbox = EmailConfig.checkAddress(address, "address");
        ConfigChecks.check(threadTokenSecret != null && threadTokenSecret.length >= 16, "threadTokenSecret",
                threadTokenSecret == null ? "none" : threadTokenSecret.length + " bytes", "at least 16 bytes");
        return new EmailMessages(EmailInboundMapper.forMailbox(channel, tenant, mailbox, threadTokenSecret, clock));
    }

    /**
     * Reads one raw message. {@code source} says where it can be found again and becomes the first part of the media
     * file ids of its attachments (the channel uses {@code UIDVALIDITY.UID}; an importer may use a file name).
     * Never throws for bad mail: broken MIME comes back as {@link Rejected} with the reason.
     */
    public Outcome read(byte[] raw, String source) {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(source, "source");
        EmailInboundMapper.Outcome outcome = mapper.map(raw, source);
        if (outcome instanceof EmailInboundMapper.Event e) {
            return new Received(e.event(), e.parsed().fullText());
        }
        return new Rejected(((EmailInboundMapper.Rejected) outcome).input());
    }

    /** What became of one raw message: an event the inbox would store, or an input it would quarantine. */
    public sealed interface Outcome permits Received, Rejected {
    }

    /**
     * The message became {@code event}: a {@code MessageReceived} (new text, attachments as platform files, thread
     * hints, the sender's evidence) or, for a bounce of one of our messages, a FAILED {@code DeliveryUpdate}.
     *
     * @param fullText the message's whole readable text, quotes and signature included (the event holds only what
     *     is new)
     */
    public record Received(InboundEvent event, String fullText) implements Outcome {
        public Received {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(fullText, "fullText");
        }
    }

    /** The message is too broken to trust; {@code input} holds its bytes and the reason, as the channel quarantines. */
    public record Rejected(RejectedInput input) implements Outcome {
        public Rejected {
            Objects.requireNonNull(input, "input");
        }
    }

    @Override
    public String toString() {
        return "EmailMessages[" + mapper + "]";
    }
}
