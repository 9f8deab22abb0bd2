package dev.switchboard.spring.boot;

import dev.switchboard.micrometer.SwitchboardMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Publishes the inbox's meters and observations through the application's Micrometer {@link MeterRegistry} (and its
 * {@link ObservationRegistry}, for traces) when {@code switchboard-micrometer} is on the classpath. Tenant tags follow
 * {@code switchboard.metrics.tenant-tags}; the backlog gauges query the store at most once per
 * {@code switchboard.metrics.backlog-refresh}.
 */
@AutoConfiguration(before = SwitchboardAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass({SwitchboardMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "switchboard", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SwitchboardProperties.class)
public class SwitchboardMetricsAutoConfiguration {

    /** Used by Spring. */
    public SwitchboardMetricsAutoConfiguration() {
    }

    /** The meters and observations; the inbox reports to them as its observer. */
    @Bean
    @ConditionalOnMissingBean
    public SwitchboardMetrics switchboardMetrics(MeterRegistry meters, ObjectProvider<ObservationRegistry> observations,
                                                 SwitchboardProperties properties) {
        return SwitchboardMetrics.builder(meters)
                .observationRegistry(observations.getIfUnique(() -> ObservationRegistry.NOOP))
                .tenantTags(properties.getMetrics().isTenantTags())
                .backlogRefresh(properties.getMetrics().getBacklogRefresh())
                .build();
    }

    /** Counts the channels' open client streams ({@code switchboard.streams.open}) where the starter mounts them. */
    @Bean
    StreamInstrumentation switchboardStreamInstrumentation(SwitchboardMetrics metrics) {
        return metrics::instrument;
    }

    /** Binds the backlog gauges and the event-feed counters to the inbox while it runs. */
    @Bean
    public InboxBinding switchboardMetricsBinding(SwitchboardMetrics metrics) {
        return metrics::bindTo;
    }
}
