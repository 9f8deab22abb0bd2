package dev.switchboard.channel;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where a channel hands what it received. Each returned stage completes only after the event is durably stored
 * (ack after commit): a webhook answers 2xx, a poller advances its offset, an IMAP message is marked processed only
 * then. A stage that completes exceptionally means "not stored": the channel must not acknowledge to the platform, so
 * the platform redelivers. Redelivered events are stored once (dedupe on {@link InboundEvent#eventId()}).
 *
 * <p>Implementations are thread-safe: a channel may deliver from several threads (webhook requests, pollers) at once.
 */
public interface InboundSink {

    /** Stores one event; completes after commit. */
    CompletionStage<Void> deliver(InboundEvent event);

    /**
     * Stores a batch (a getUpdates page, an IMAP fetch); completes after all are committed. The default delivers one by
     * one; the inbox may group-commit.
     */
    default CompletionStage<Void> deliverAll(List<? extends InboundEvent> events) {
        CompletionStage<Void> chain = java.util.concurrent.CompletableFuture.completedFuture(null);
        for (InboundEvent e : events) {
            chain = chain.thenCompose(v -> deliver(e));
        }
        return chain;
    }

    /** Quarantines input that could not be parsed; completes after commit, so the channel may then acknowledge it. */
    CompletionStage<Void> reject(RejectedInput input);
}
