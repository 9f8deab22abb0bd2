package dev.switchboard.micrometer;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxObserver;
import dev.switchboard.inbox.spi.OutboxEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters and observations for an {@link Inbox}: ingest rate and latency from a channel's delivery to the
 * commit, duplicates dropped, quarantined input, the outbox backlog (rows pending and the age of the oldest), sends by
 * outcome and failure kind, retry delays, rate-limit waits, webhook responses by status, open client streams (the
 * website chat's connections), identity merges and suggestions; observations (traces) around ingest, send and webhook handling. Meters are tagged with the channel id
 * and type; the tenant tag is opt-in ({@link Builder#tenantTags(boolean)}) because a CRM hosting thousands of tenants
 * would otherwise multiply every series by them. Nothing personal (platform user ids, names, message content) ever
 * becomes a tag or an observation attribute. docs/observability.md lists every meter.
 *
 * <pre>{@code
 * SwitchboardMetrics metrics = SwitchboardMetrics.builder(meterRegistry)
 *     .observationRegistry(observationRegistry)   // optional: traces
 *     .build();
 * Inbox inbox = Inbox.builder().store(store).channel(telegram).observer(metrics).build();
 * metrics.bindTo(inbox);                          // backlog gauges and the event-feed counters
 * server.webhook(metrics.instrument(telegram, telegram.webhook().orElseThrow()));
 * }</pre>
 *
 * <p>Thread-safe: the inbox calls it from its ingest, acknowledgement and outbox threads.
 */
public final class SwitchboardMetrics implements InboxObserver {
    /** The prefix of every meter and observation name. */
    public static final String PREFIX = "switchboard.";

    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final boolean tenantTags;
    private final Duration backlogRefresh;
    private final Clock clock;
    private final OpenStreams openStreams;

    private SwitchboardMetrics(Builder b) {
        this.meters = b.meters;
        this.observations = b.observations;
        this.tenantTags = b.tenantTags;
        this.backlogRefresh = b.backlogRefresh;
        this.clock = b.clock;
        this.openStreams = new OpenStreams(b.meters);
    }

    /** Starts configuring the metrics that register their meters in {@code meters}. */
    public static Builder builder(MeterRegistry meters) {
        return new Builder(meters);
    }

    /**
     * Registers the gauges of the inbox's outbox backlog and listens to its event feed for quarantined input, merges
     * and suggestions. Close the returned handle to remove the gauges and the listener (e.g. before closing the inbox).
     */
    public AutoCloseable bindTo(Inbox inbox) {
        Objects.requireNonNull(inbox, "inbox");
        OutboxBacklogGauges gauges = new OutboxBacklogGauges(inbox, meters, backlogRefresh, clock);
        AutoCloseable listener = inbox.addListener(new FeedMeters(meters, tags(), inbox));
        return () -> {
            listener.close();
            gauges.close();
        };
    }

    /**
     * Wraps a channel's webhook so each request is timed by response status ({@code switchboard.webhook.requests}) and
     * observed ({@code switchboard.webhook}); the ingest observations of what the request delivers become its
     * children. Hosts mount the returned handler instead of the channel's own.
     */
    public WebhookHandler instrument(Channel channel, WebhookHandler handler) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        return new InstrumentedWebhookHandler(handler, tags().of(channel), meters, observations);
    }

    /**
     * Wraps one of a channel's streams ({@code channel.endpoints().streams()}) so the streams open on it are counted
     * by the {@code switchboard.streams.open} gauge, per channel and transport ({@code websocket}, {@code
     * server_sent_events}): the website chat's open visitor connections. Hosts mount the returned route instead of
     * the channel's own (the Spring Boot starter does).
     */
    public StreamRoute instrument(Channel channel, StreamRoute route) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(route, "route");
        return openStreams.instrument(tags().of(channel), route);
    }

    /** Whether meters carry the tenant tag. */
    public boolean tenantTags() {
        return tenantTags;
    }

    private MeterTags tags() {
        return new MeterTags(tenantTags);
    }

    // ---- InboxObserver -------------------------------------------------------------------------------------------

    @Override
    public Inbound inboundDelivered(Channel channel, Optional<InboundEvent> event) {
        Tags base = tags().of(channel).and("event", eventKind(event));
        Observation observation = Observation.createNotStarted(PREFIX + "ingest", observations)
                .contextualName("switchboard ingest " + channel.type().value())
                .lowCardinalityKeyValues(MeterTags.keyValues(base))
                .start();
        long started = System.nanoTime();
        return failure -> {
            long elapsed = System.nanoTime() - started;
            String outcome = failure.isPresent() ? "failed" : "stored";
            Timer.builder(PREFIX + "ingest.latency")
                    .description("From a channel's delivery of an inbound event to its commit (count: ingest rate)")
                    .tags(base.and("outcome", outcome))
                    .register(meters)
                    .record(elapsed, TimeUnit.NANOSECONDS);
            failure.ifPresent(observation::error);
            observation.lowCardinalityKeyValue("outcome", outcome).stop();
        };
    }

    @Override
    public void duplicateDropped(Channel channel, InboundEvent event) {
        meters.counter(PREFIX + "ingest.duplicates", tags().of(channel).and("event", eventKind(Optional.of(event))))
                .increment();
    }

    @Override
    public Send sendStarted(Channel channel, OutboxEntry entry) {
        Tags base = tags().of(channel);
        Observation observation = Observation.createNotStarted(PREFIX + "send", observations)
                .contextualName("switchboard send " + channel.type().value())
                .lowCardinalityKeyValues(MeterTags.keyValues(base))
                // an internal random id, not personal: it lets a trace be matched with the stored message
                .highCardinalityKeyValue("message.id", entry.message().messageId().value())
                .start();
        long started = System.nanoTime();
        return (failure, retryAt) -> {
            long elapsed = System.nanoTime() - started;
            String outcome = failure.isEmpty() ? "sent" : retryAt.isPresent() ? "retry" : "failed";
            String kind = failure.map(f -> f.kind().name()).orElse("none");
            Tags tags = base.and("outcome", outcome, "failure.kind", kind);
            Timer.builder(PREFIX + "send.latency")
                    .description("One send attempt through a channel, by outcome (sent, retry, failed) and failure kind")
                    .tags(tags)
                    .register(meters)
                    .record(elapsed, TimeUnit.NANOSECONDS);
            retryAt.ifPresent(at -> Timer.builder(PREFIX + "send.retry.delay")
                    .description("How long a failed send waits for its next attempt (backoff or the platform's"
                            + " retry-after)")
                    .tags(base.and("failure.kind", kind))
                    .register(meters)
                    .record(positive(Duration.between(clock.instant(), at))));
            failure.ifPresent(f -> observation.error(new SendFailedException(f)));
            observation.lowCardinalityKeyValue("outcome", outcome).lowCardinalityKeyValue("failure.kind", kind).stop();
        };
    }

    @Override
    public void sendPaced(Channel channel, OutboxEntry entry, Duration wait) {
        Timer.builder(PREFIX + "send.rate.limit.wait")
                .description("How long sends waited for the channel's rate limits")
                .tags(tags().of(channel))
                .register(meters)
                .record(positive(wait));
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    static String eventKind(Optional<InboundEvent> event) {
        if (event.isEmpty()) {
            return "rejected";
        }
        InboundEvent e = event.get();
        if (e instanceof InboundEvent.MessageReceived) {
            return "message";
        } else if (e instanceof InboundEvent.MessageEdited) {
            return "edit";
        } else if (e instanceof InboundEvent.Postback) {
            return "postback";
        } else if (e instanceof InboundEvent.DeliveryUpdate) {
            return "delivery";
        }
        return "account";
    }

    /** A failed send as an observation error: the failure's kind and code, never the recipient or the content. */
    static final class SendFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SendFailedException(SendFailure failure) {
            super(failure.kind() + failure.platformCode().map(c -> " (code " + c + ")").orElse(""), null, false,
                    false);
        }
    }

    /** Configures {@link SwitchboardMetrics}. */
    public static final class Builder {
        private final MeterRegistry meters;
        private ObservationRegistry observations = ObservationRegistry.NOOP;
        private boolean tenantTags;
        private Duration backlogRefresh = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();

        private Builder(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
        }

        /** Where observations go (default: none, {@link ObservationRegistry#NOOP}). */
        public Builder observationRegistry(ObservationRegistry observations) {
            this.observations = Objects.requireNonNull(observations, "observationRegistry");
            return this;
        }

        /**
         * Whether meters and observations carry a {@code tenant} tag (default false). Turn it on when tenants are
         * few (one business, a handful of brands); a host with thousands of tenants should keep it off.
         */
        public Builder tenantTags(boolean tenantTags) {
            this.tenantTags = tenantTags;
            return this;
        }

        /**
         * The most often the backlog gauges query the store (default 10 s): a scrape within this interval of the last
         * query reads the cached values, so frequent scrapes cost the database nothing more.
         */
        public Builder backlogRefresh(Duration refresh) {
            Objects.requireNonNull(refresh, "backlogRefresh");
            if (refresh.isNegative()) {
                throw new IllegalArgumentException("backlogRefresh must not be negative, got " + refresh);
            }
            this.backlogRefresh = refresh;
            return this;
        }

        /** The clock for the age of the oldest pending row and retry delays (default system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The configured metrics; nothing is registered until the inbox reports or {@link #bindTo} is called. */
        public SwitchboardMetrics build() {
            return new SwitchboardMetrics(this);
        }
    }
}
