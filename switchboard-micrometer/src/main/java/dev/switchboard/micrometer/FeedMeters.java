package dev.switchboard.micrometer;

import dev.switchboard.channel.Channel;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.InboxListener;
import dev.switchboard.model.ChannelId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Optional;

/**
 * Meters taken from the durable event feed rather than from hooks: quarantined input, merges (and their undoing),
 * merge suggestions, SLA warnings and breaches, and how long conversations waited in a routing queue until an
 * agent was assigned. Every node tails the whole feed, so on each node these count the cluster's events, not the
 * node's. Called on the inbox's dispatcher thread. Internal.
 */
final class FeedMeters implements InboxListener {
    private final MeterRegistry meters;
    private final MeterTags tags;
    private final Inbox inbox;

    FeedMeters(MeterRegistry meters, MeterTags tags, Inbox inbox) {
        this.meters = meters;
        this.tags = tags;
        this.inbox = inbox;
    }

    @Override
    public void onEvent(InboxEvent event) {
        switch (event.type()) {
            case INPUT_QUARANTINED -> {
                ChannelId channel = ChannelId.of(event.attributes().getOrDefault("channel", "unknown"));
                Optional<String> type = inbox.channel(event.tenant(), channel).map(Channel::type).map(t -> t.value());
                counter("ingest.quarantined", "Inbound input put in quarantine (unparseable, blocked account,"
                        + " failed processing)", tags.of(event.tenant(), channel, type)).increment();
            }
            case CUSTOMERS_MERGED -> counter("identity.merges", "Customers merged (automatically or by an agent)",
                    tags.of(event.tenant())).increment();
            case MERGE_UNDONE -> counter("identity.unmerges", "Merges undone", tags.of(event.tenant())).increment();
            case MERGE_SUGGESTED -> counter("identity.suggestions", "Merge suggestions raised for an agent",
                    tags.of(event.tenant())).increment();
            case SLA_WARNING, SLA_BREACHED -> {
                // kinds (first response, next response, resolution) and policies are few per tenant: tags
                Tags t = tags.of(event.tenant())
                        .and("kind", event.attributes().getOrDefault(InboxEvent.Attribute.SLA_KIND, "unknown"))
                        .and("policy", event.attributes().getOrDefault(InboxEvent.Attribute.SLA_POLICY, "unknown"));
                if (event.type() == InboxEvent.Type.SLA_WARNING) {
                    counter("sla.warnings", "SLA deadlines that reached their warning point", t).increment();
                } else {
                    counter("sla.breaches", "SLA deadlines that passed without being met", t).increment();
                }
            }
            case CONVERSATION_UPDATED -> {
                String waited = event.attributes().get(InboxEvent.Attribute.WAITED_MS);
                if (waited != null) {
                    // queues are teams: few per tenant, so the queue is a tag
                    Timer.builder(SwitchboardMetrics.PREFIX + "routing.queue.wait")
                            .description("How long a conversation waited in a routing queue until an agent was"
                                    + " assigned")
                            .tags(tags.of(event.tenant()).and("queue",
                                    event.attributes().getOrDefault(InboxEvent.Attribute.QUEUE, "default")))
                            .register(meters).record(Duration.ofMillis(Long.parseLong(waited)));
                }
            }
            default -> {
            }
        }
    }

    private Counter counter(String name, String description, Tags tags) {
        return Counter.builder(SwitchboardMetrics.PREFIX + name).description(description).tags(tags).register(meters);
    }

    @Override
    public String toString() {
        return "SwitchboardMetrics feed counters";
    }
}
