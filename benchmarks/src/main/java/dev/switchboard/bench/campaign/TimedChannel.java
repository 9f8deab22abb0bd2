package dev.switchboard.bench.campaign;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.SendCost;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A real channel whose accepted sends are recorded with the instant the platform fake accepted them (the send's
 * completion), and whether each was a campaign's marketing message. It receives nothing (the harness seeds customers
 * through the inbox's sink), so it never starts the wrapped channel's receiving side.
 */
final class TimedChannel implements Channel {
    /** One accepted send: when the outbox called the channel and when the platform fake accepted it. */
    record Accepted(String idempotencyKey, String text, boolean marketing, long calledNanos, long acceptedNanos) {
    }

    private final Channel delegate;
    private final Capabilities capabilities;
    private final ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();

    TimedChannel(Channel delegate) {
        this.delegate = delegate;
        Capabilities c = delegate.capabilities();
        this.capabilities = new Capabilities(c.maxTextLength(), c.textLengthUnit(), c.markup(), c.mediaKinds(),
                c.maxButtons(), c.maxButtonLabelLength(), c.linkButtons(), c.sharePhoneButton(), c.locations(),
                c.contactCards(), c.edits(), c.typingIndicators(), c.readReceipts(), c.replyThreading(),
                c.requiresSubscription(), c.messagingWindow(), ReceiveMode.WEBHOOK, c.globalRateLimit(),
                c.perRecipientRateLimit());
    }

    List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    void clear() {
        accepted.clear();
    }

    @Override
    public ChannelId id() {
        return delegate.id();
    }

    @Override
    public ChannelType type() {
        return delegate.type();
    }

    @Override
    public TenantId tenant() {
        return delegate.tenant();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public SendCost sendCost(ChannelAccount recipient) {
        return delegate.sendCost(recipient);
    }

    @Override
    public boolean deduplicatesSendsByIdempotencyKey() {
        return delegate.deduplicatesSendsByIdempotencyKey();
    }

    @Override
    public CompletionStage<Void> start(InboundSink sink) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        long called = System.nanoTime();
        return delegate.send(message).thenApply(r -> {
            accepted.add(new Accepted(message.idempotencyKey(), message.bubble().plain(),
                    message.marketing().isPresent(), called, System.nanoTime()));
            return r;
        });
    }

    @Override
    public CompletionStage<Void> stop() {
        return delegate.stop();
    }
}
