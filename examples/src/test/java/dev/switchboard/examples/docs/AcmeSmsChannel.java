package dev.switchboard.examples.docs;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The third-party channel the docs' samples talk about: an SMS gateway plugin written before channels had to be
 * restartable, so a second {@code start} after a {@code stop} is refused. Sends are not used by the samples.
 */
final class AcmeSmsChannel implements Channel {

    /** What the plugin is configured with. */
    record Config(String gatewayUrl) {
    }

    private final Config config;
    private final AtomicBoolean used = new AtomicBoolean();

    AcmeSmsChannel(Config config) {
        this.config = config;
    }

    Config config() {
        return config;
    }

    @Override
    public ChannelId id() {
        return ChannelId.of("acme-sms");
    }

    @Override
    public ChannelType type() {
        return ChannelType.of("sms");
    }

    @Override
    public TenantId tenant() {
        return TenantId.DEFAULT;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().build();
    }

    @Override
    public CompletionStage<Void> start(InboundSink sink) {
        if (!used.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException("AcmeSmsChannel cannot be restarted"));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not used by the samples"));
    }

    @Override
    public CompletionStage<Void> stop() {
        return CompletableFuture.completedFuture(null);
    }
}
