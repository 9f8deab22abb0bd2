package dev.switchboard.bench.telegram;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A channel that sends through a real {@link Channel} but declares its rate limits {@code scale} times faster, so a
 * load run against an equally time-scaled platform fake takes seconds instead of minutes. It receives nothing (the
 * send benchmark seeds its conversations through the inbox's sink), so it never starts the wrapped channel.
 */
final class TimeScaledChannel implements Channel {
    private final Channel delegate;
    private final Capabilities capabilities;

    TimeScaledChannel(Channel delegate, double scale) {
        this.delegate = delegate;
        Capabilities c = delegate.capabilities();
        this.capabilities = new Capabilities(c.maxTextLength(), c.textLengthUnit(), c.markup(), c.mediaKinds(),
                c.maxButtons(), c.maxButtonLabelLength(), c.linkButtons(), c.sharePhoneButton(), c.locations(),
                c.contactCards(), c.edits(), c.typingIndicators(), c.readReceipts(), c.replyThreading(),
                c.requiresSubscription(), c.messagingWindow(), ReceiveMode.WEBHOOK, scaled(c.globalRateLimit(), scale),
                scaled(c.perRecipientRateLimit(), scale));
    }

    private static Optional<RateLimit> scaled(Optional<RateLimit> limit, double scale) {
        return limit.map(l -> new RateLimit(l.permits(), Duration.ofNanos((long) (l.period().toNanos() / scale))));
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
    public CompletionStage<Void> start(InboundSink sink) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        return delegate.send(message);
    }

    @Override
    public CompletionStage<Void> stop() {
        return delegate.stop();
    }
}
