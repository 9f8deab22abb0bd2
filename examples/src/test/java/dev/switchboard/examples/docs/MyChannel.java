package dev.switchboard.examples.docs;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ConfigChecks;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The plugin channel docs/channel-testkit.md tests with the kit, reduced to its builder and config: it compiles the
 * sample, it is never started (receiving and sending are the plugin author's part).
 */
final class MyChannel implements Channel {

    /** The channel's options; the token never shows in {@code toString()}. */
    record MyConfig(ChannelId id, String token, String baseUrl) {
        @Override
        public String toString() {
            return "MyConfig[id=" + id + ", token=***, baseUrl=" + baseUrl + "]";
        }
    }

    private final MyConfig config;

    private MyChannel(MyConfig config) {
        this.config = config;
    }

    static Builder builder() {
        return new Builder();
    }

    MyConfig config() {
        return config;
    }

    @Override
    public ChannelId id() {
        return config.id();
    }

    @Override
    public ChannelType type() {
        return ChannelType.of("my-platform");
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
        return CompletableFuture.failedFuture(new UnsupportedOperationException("a stub for the docs' samples"));
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("a stub for the docs' samples"));
    }

    @Override
    public CompletionStage<Void> stop() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String toString() {
        return "MyChannel[" + config + "]";
    }

    /** Collects the options; {@link #build()} checks them. */
    static final class Builder {
        private ChannelId id;
        private String token;
        private String baseUrl;

        Builder id(ChannelId id) {
            this.id = id;
            return this;
        }

        Builder token(String token) {
            this.token = token;
            return this;
        }

        Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        MyChannel build() {
            ConfigChecks.required(id, "id");
            ConfigChecks.required(token, "token");
            ConfigChecks.required(baseUrl, "baseUrl");
            return new MyChannel(new MyConfig(id, token, baseUrl));
        }
    }
}
