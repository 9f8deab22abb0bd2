package dev.switchboard.testkit;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.util.concurrent.CompletionStage;

/** Forwards everything to a working channel; the broken channels in {@link BrokenChannelKits} override one thing. */
class DelegatingChannel implements Channel {
    final Channel delegate;

    DelegatingChannel(Channel delegate) {
        this.delegate = delegate;
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
        return delegate.capabilities();
    }

    @Override
    public CompletionStage<Void> start(InboundSink sink) {
        return delegate.start(sink);
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        return delegate.send(message);
    }

    @Override
    public CompletionStage<Void> stop() {
        return delegate.stop();
    }

    @Override
    public dev.switchboard.channel.ChannelHealth health() {
        return delegate.health();
    }

    @Override
    public CompletionStage<dev.switchboard.channel.FetchedMedia> fetchMedia(
            dev.switchboard.content.MediaSource.PlatformFile file) {
        return delegate.fetchMedia(file);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
