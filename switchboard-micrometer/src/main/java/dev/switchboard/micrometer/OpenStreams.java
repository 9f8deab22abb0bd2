package dev.switchboard.micrometer;

import dev.switchboard.channel.StreamHandler;
import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.WebhookRequest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code switchboard.streams.open} gauges: how many client streams (the website chat's visitors' WebSockets and
 * Server-Sent Events) are open on this node, per channel and transport. A stream counts from the moment the server
 * hands it to the channel's handler until the server reports its end ({@link StreamListener#onClose()}, which every
 * server calls exactly once), refused clients included until they are closed. Counters are kept here (a gauge holds
 * its object weakly) and shared by streams with the same tags. Thread-safe. Internal.
 */
final class OpenStreams {
    private final MeterRegistry meters;
    private final Map<Tags, AtomicInteger> counts = new ConcurrentHashMap<>();

    OpenStreams(MeterRegistry meters) {
        this.meters = meters;
    }

    StreamRoute instrument(Tags channel, StreamRoute route) {
        Map<String, AtomicInteger> byTransport = new ConcurrentHashMap<>();
        StreamHandler delegate = route.handler();
        StreamHandler counted = new StreamHandler() {
            @Override
            public StreamListener open(StreamSession session) {
                AtomicInteger open = byTransport.computeIfAbsent(session.transport().name(),
                        t -> counter(channel.and("transport", t.toLowerCase(Locale.ROOT))));
                open.incrementAndGet();
                StreamListener listener;
                try {
                    listener = delegate.open(session);
                } catch (RuntimeException e) {
                    open.decrementAndGet();
                    throw e;
                }
                return new Counted(listener, open);
            }

            @Override
            public Map<String, List<String>> responseHeaders(WebhookRequest request) {
                return delegate.responseHeaders(request);
            }
        };
        return new StreamRoute(route.path(), route.transports(), route.maxFrameBytes(), counted);
    }

    private AtomicInteger counter(Tags tags) {
        return counts.computeIfAbsent(tags, t -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder(SwitchboardMetrics.PREFIX + "streams.open", n, AtomicInteger::get)
                    .description("Client streams (website chat WebSockets, Server-Sent Events) open on this node")
                    .tags(t).register(meters);
            return n;
        });
    }

    /** The channel's listener, counting the stream down once when it ends. */
    private static final class Counted implements StreamListener {
        private final StreamListener delegate;
        private final AtomicInteger open;
        private final AtomicBoolean closed = new AtomicBoolean();

        Counted(StreamListener delegate, AtomicInteger open) {
            this.delegate = delegate;
            this.open = open;
        }

        @Override
        public void onFrame(String text) {
            delegate.onFrame(text);
        }

        @Override
        public void onClose() {
            if (closed.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
            delegate.onClose();
        }
    }
}
