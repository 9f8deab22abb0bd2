package dev.switchboard.spring.boot;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.HttpEndpoints;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendCost;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.StatefulChannel;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webhook or push channel whose failure to start (a token the platform refuses when the webhook is registered, an
 * unreachable platform) is reported instead of thrown: the inbox and the other channels start, and this one reports
 * {@link ChannelHealth.Status#DOWN} with the reason until the application restarts. Polling channels need no such
 * wrapper: the inbox's lease supervisor already isolates their start and retries it. Everything else is the wrapped
 * channel's, its send cost and its channel state included (a wrapper of a {@link StatefulChannel} is one too, so the
 * inbox binds the wrapped channel to the store). Thread-safe. Internal.
 */
class StartIsolatedChannel implements Channel {
    private static final Logger log = LoggerFactory.getLogger(StartIsolatedChannel.class);
    private static final long START_TIMEOUT_SECONDS = 20;

    private final Channel delegate;
    private volatile Throwable startFailure;

    private StartIsolatedChannel(Channel delegate) {
        this.delegate = delegate;
    }

    /** Wraps {@code channel}; the wrapper is a {@link StatefulChannel} exactly when the channel is. */
    static StartIsolatedChannel of(Channel channel) {
        return channel instanceof StatefulChannel ? new Stateful(channel) : new StartIsolatedChannel(channel);
    }

    /** The wrapper of a channel that keeps state: the inbox's binding reaches the channel. */
    private static final class Stateful extends StartIsolatedChannel implements StatefulChannel {
        Stateful(Channel delegate) {
            super(delegate);
        }

        @Override
        public void bindState(ChannelState state) {
            ((StatefulChannel) delegate()).bindState(state);
        }
    }

    /** The channel this wraps. */
    Channel delegate() {
        return delegate;
    }

    @Override
    public CompletionStage<Void> start(InboundSink sink) {
        startFailure = null;
        CompletableFuture<Void> started;
        try {
            started = delegate.start(sink).toCompletableFuture();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        return started.orTimeout(START_TIMEOUT_SECONDS, TimeUnit.SECONDS).handle((ok, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                startFailure = cause;
                log.error("Channel {}/{} ({}) could not start and stays DOWN until the application restarts; the"
                        + " other channels run: {}", tenant(), id(), type(), cause.toString());
            }
            return null;
        });
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public ChannelHealth health() {
        Throwable failure = startFailure;
        if (failure == null) {
            return delegate.health();
        }
        boolean refused = failure instanceof ChannelException ce && ce.failure().kind() == FailureKind.UNAUTHORIZED;
        ChannelHealth.Problem problem = refused ? ChannelHealth.Problem.BAD_CREDENTIALS
                : failure instanceof java.util.concurrent.TimeoutException ? ChannelHealth.Problem.UNREACHABLE
                : ChannelHealth.Problem.MISCONFIGURED;
        ChannelHealth own = delegate.health();
        return new ChannelHealth(ChannelHealth.Status.DOWN, Optional.of(problem),
                Optional.of("could not start: " + failure), own.lastReceived(), own.lastSent(), Optional.empty());
    }

    @Override
    public ChannelId id() {
        return delegate.id();
    }

    @Override
    public boolean deduplicatesSendsByIdempotencyKey() {
        return delegate.deduplicatesSendsByIdempotencyKey();
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
    public Capabilities capabilities(dev.switchboard.model.ChannelAccount recipient) {
        return delegate.capabilities(recipient);
    }

    @Override
    public SendCost sendCost(dev.switchboard.model.ChannelAccount recipient) {
        return delegate.sendCost(recipient);
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
    public Optional<WebhookHandler> webhook() {
        return delegate.webhook();
    }

    @Override
    public HttpEndpoints endpoints() {
        return delegate.endpoints();
    }

    @Override
    public CompletionStage<FetchedMedia> fetchMedia(MediaSource.PlatformFile file) {
        return delegate.fetchMedia(file);
    }

    @Override
    public CompletionStage<Void> acknowledgePostback(InboundEvent.Postback postback, Optional<String> text) {
        return delegate.acknowledgePostback(postback, text);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
