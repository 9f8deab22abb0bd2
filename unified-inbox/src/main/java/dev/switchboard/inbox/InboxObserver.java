package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.inbox.spi.OutboxEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Instrumentation hooks of an {@link Inbox}, for metrics and tracing (the {@code switchboard-micrometer} module
 * implements them with Micrometer meters and observations). Set one with {@link Inbox.Builder#observer}; every method
 * has a no-op default, so an implementation overrides only what it measures. What the durable event feed already says
 * (merges, suggestions, quarantined input) is not repeated here: read it with an {@link InboxListener}.
 *
 * <p>The inbox calls these methods on its ingest, acknowledgement and outbox threads, while it works: implementations
 * must be thread-safe, fast and must not throw (what they throw is not caught everywhere). They receive the channel
 * and the event or outbox row, which carry personal data (platform user ids, message content): an implementation
 * that exports what it is told must pick what it exports (tenant, channel id, channel type, outcomes), never the
 * content or the account.
 */
public interface InboxObserver {

    /** The observer that observes nothing. */
    InboxObserver NONE = new InboxObserver() {
    };

    /**
     * A channel handed the inbox an inbound event ({@code event} present) or input it could not parse (empty), on the
     * channel's own thread (a webhook request's, a poller's). The returned {@link Inbound} is told when what was
     * delivered is stored, i.e. when the channel may acknowledge it to the platform, or why it could not be.
     */
    default Inbound inboundDelivered(Channel channel, Optional<InboundEvent> event) {
        return Inbound.NONE;
    }

    /**
     * A redelivery of an event the inbox had already stored was recognised and dropped (after the transaction that
     * recognised it committed).
     */
    default void duplicateDropped(Channel channel, InboundEvent event) {
    }

    /**
     * An outbox row is about to be sent through its channel. The returned {@link Send} is told the outcome once it is
     * recorded.
     */
    default Send sendStarted(Channel channel, OutboxEntry entry) {
        return Send.NONE;
    }

    /**
     * An outbox row must wait {@code wait} for its channel's rate limits (per channel or per recipient) before it may
     * be sent: in memory when the wait is short, back in the table otherwise.
     */
    default void sendPaced(Channel channel, OutboxEntry entry, Duration wait) {
    }

    /** The end of one inbound delivery. */
    @FunctionalInterface
    interface Inbound {
        /** Reports nothing. */
        Inbound NONE = failure -> { };

        /**
         * What was delivered is committed (stored, recognised as a duplicate, or quarantined) when {@code failure} is
         * empty; otherwise it could not be stored and the channel will not acknowledge it.
         */
        void stored(Optional<Throwable> failure);
    }

    /** The end of one send attempt. */
    @FunctionalInterface
    interface Send {
        /** Reports nothing. */
        Send NONE = (failure, retryAt) -> { };

        /**
         * The attempt's outcome as recorded: sent when {@code failure} is empty; otherwise retried at {@code retryAt}
         * when present, or failed for good.
         */
        void finished(Optional<SendFailure> failure, Optional<Instant> retryAt);
    }
}
