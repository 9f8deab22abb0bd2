package dev.switchboard.examples.docs;

import dev.switchboard.channel.Channel;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.micrometer.SwitchboardMetrics;
import dev.switchboard.server.jetty.SwitchboardServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The sample of docs/observability.md, verbatim between the markers (see {@link DocSamplesTest}). */
class ObservabilitySamplesTest {

    /** Compiled, not run: it binds the server's default port. */
    @SuppressWarnings("unused")
    static void wiringAPlainHost(InboxStore store, Channel telegram, ObservationRegistry observationRegistry) {
        // ---- doc snippet begins
        MeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);   // or any registry
        SwitchboardMetrics metrics = SwitchboardMetrics.builder(meters)
                .observationRegistry(observationRegistry)     // optional: traces
                .tenantTags(false)                            // the default; true for a handful of tenants
                .build();

        Inbox inbox = Inbox.builder().store(store).channel(telegram).observer(metrics).build();
        AutoCloseable bound = metrics.bindTo(inbox);          // backlog gauges + event-feed counters
        SwitchboardServer server = SwitchboardServer.builder()
                .webhook(metrics.instrument(telegram, telegram.webhook().orElseThrow()))   // timed webhook
                .build().start();
        inbox.start();
        // ---- doc snippet ends
    }
}
