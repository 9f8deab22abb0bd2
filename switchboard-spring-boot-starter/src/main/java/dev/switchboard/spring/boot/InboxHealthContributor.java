package dev.switchboard.spring.boot;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.inbox.Inbox;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Tenants, then their channels, read from the inbox on every health request (so channels added later show up). A
 * channel's {@link ChannelHealth} maps to Boot's statuses: UP, DEGRADED (a passing problem, with its details) and
 * UNKNOWN (a channel that does not report) are UP, DOWN is DOWN, STOPPED is OUT_OF_SERVICE, STARTING is UNKNOWN; the
 * channel's own state is always in the details. Thread-safe. Internal.
 */
final class InboxHealthContributor implements CompositeHealthContributor {
    private final Inbox inbox;

    InboxHealthContributor(Inbox inbox) {
        this.inbox = inbox;
    }

    private Map<String, Map<String, Channel>> byTenant() {
        Map<String, Map<String, Channel>> tenants = new LinkedHashMap<>();
        for (Channel c : inbox.channels()) {
            tenants.computeIfAbsent(c.tenant().value(), t -> new LinkedHashMap<>()).put(c.id().value(), c);
        }
        return tenants;
    }

    @Override
    public HealthContributor getContributor(String name) {
        Map<String, Channel> channels = byTenant().get(name);
        return channels == null ? null : tenant(channels);
    }

    @Override
    public Stream<Entry> stream() {
        return byTenant().entrySet().stream().map(e -> new Entry(e.getKey(), tenant(e.getValue())));
    }

    private static CompositeHealthContributor tenant(Map<String, Channel> channels) {
        return CompositeHealthContributor.fromMap(channels, c -> (HealthIndicator) () -> health(c));
    }

    static Health health(Channel channel) {
        ChannelHealth h = channel.health();
        Health.Builder b = Health.status(status(h.status()))
                .withDetail("type", channel.type().value())
                .withDetail("state", h.status().name());
        h.problem().ifPresent(p -> b.withDetail("problem", p.name()));
        h.detail().ifPresent(d -> b.withDetail("detail", d));
        h.lastReceived().ifPresent(t -> b.withDetail("lastReceived", t.toString()));
        h.lastSent().ifPresent(t -> b.withDetail("lastSent", t.toString()));
        h.retryAt().ifPresent(t -> b.withDetail("retryAt", t.toString()));
        return b.build();
    }

    static Status status(ChannelHealth.Status s) {
        return switch (s) {
            // a channel that does not report cannot be held against the application
            case UP, DEGRADED, UNKNOWN -> Status.UP;
            case DOWN -> Status.DOWN;
            case STOPPED -> Status.OUT_OF_SERVICE;
            case STARTING -> Status.UNKNOWN;
        };
    }
}
