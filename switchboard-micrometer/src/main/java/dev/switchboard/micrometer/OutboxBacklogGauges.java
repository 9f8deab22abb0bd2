package dev.switchboard.micrometer;

import dev.switchboard.inbox.Inbox;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox backlog as two gauges, {@code switchboard.outbox.pending} (rows not yet sent or failed) and
 * {@code switchboard.outbox.oldest.age} (seconds since the oldest of them was queued). Both read one sample that is
 * refreshed from the store at most once per {@code refresh}, however often the registry is scraped; a failed query
 * keeps the last sample (the store being down shows elsewhere). Thread-safe. Internal.
 */
final class OutboxBacklogGauges implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxBacklogGauges.class);

    private final Inbox inbox;
    private final MeterRegistry meters;
    private final Duration refresh;
    private final Clock clock;
    private final Gauge pending;
    private final TimeGauge oldestAge;
    private long sampledAtNanos;
    private boolean sampled;
    private long pendingRows;
    private Optional<Instant> oldest = Optional.empty();

    OutboxBacklogGauges(Inbox inbox, MeterRegistry meters, Duration refresh, Clock clock) {
        this.inbox = inbox;
        this.meters = meters;
        this.refresh = refresh;
        this.clock = clock;
        this.pending = Gauge.builder(SwitchboardMetrics.PREFIX + "outbox.pending", this, OutboxBacklogGauges::pending)
                .description("Outbox rows not yet sent or failed, all tenants")
                .register(meters);
        this.oldestAge = TimeGauge.builder(SwitchboardMetrics.PREFIX + "outbox.oldest.age", this, TimeUnit.SECONDS,
                        OutboxBacklogGauges::oldestAgeSeconds)
                .description("Age of the oldest outbox row not yet sent or failed (0 when none)")
                .register(meters);
    }

    double pending() {
        synchronized (this) {
            refreshIfDue();
            return pendingRows;
        }
    }

    double oldestAgeSeconds() {
        synchronized (this) {
            refreshIfDue();
            return oldest.map(o -> Math.max(0, Duration.between(o, clock.instant()).toMillis()) / 1000.0).orElse(0.0);
        }
    }

    private void refreshIfDue() {
        long now = System.nanoTime();
        if (sampled && now - sampledAtNanos < refresh.toNanos()) {
            return;
        }
        try {
            pendingRows = inbox.pendingOutboxCount();
            oldest = inbox.oldestPendingOutbox();
        } catch (RuntimeException e) {
            log.debug("Could not read the outbox backlog; keeping the last sample: {}", e.toString());
        }
        sampled = true;
        sampledAtNanos = now;
    }

    @Override
    public void close() {
        meters.remove(pending);
        meters.remove(oldestAge);
    }
}
