package dev.switchboard.spring.boot;

import dev.switchboard.inbox.Inbox;
import dev.switchboard.micrometer.SwitchboardMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Mounts the channels' webhooks on a WebFlux application's own server, at the same paths as on Spring MVC
 * ({@code switchboard.webhooks.path-prefix} + each channel's path), timed and observed when the metrics are there.
 */
@AutoConfiguration(after = {SwitchboardAutoConfiguration.class, SwitchboardMetricsAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBean(Inbox.class)
@ConditionalOnProperty(prefix = "switchboard.webhooks", name = "enabled", havingValue = "true", matchIfMissing = true)
public class SwitchboardWebFluxAutoConfiguration {

    /** Used by Spring. */
    public SwitchboardWebFluxAutoConfiguration() {
    }

    /** The routes, each webhook timed and observed when the metrics are configured. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.switchboard.micrometer.SwitchboardMetrics")
    static class WithMetrics {
        @Bean
        @ConditionalOnMissingBean(name = "switchboardWebhooks")
        RouterFunction<ServerResponse> switchboardWebhooks(Inbox inbox, SwitchboardProperties properties,
                                                           ObjectProvider<SwitchboardMetrics> metrics) {
            SwitchboardMetrics m = metrics.getIfUnique();
            return ReactiveWebhookRoutes.of(inbox.channels(), properties.getWebhooks().getPathPrefix(),
                    properties.getWebhooks().getMaxBodySize().toBytes(),
                    (channel, handler) -> m == null ? handler : m.instrument(channel, handler));
        }
    }

    /** The routes, when switchboard-micrometer is not on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("dev.switchboard.micrometer.SwitchboardMetrics")
    static class WithoutMetrics {
        @Bean
        @ConditionalOnMissingBean(name = "switchboardWebhooks")
        RouterFunction<ServerResponse> switchboardWebhooks(Inbox inbox, SwitchboardProperties properties) {
            return ReactiveWebhookRoutes.of(inbox.channels(), properties.getWebhooks().getPathPrefix(),
                    properties.getWebhooks().getMaxBodySize().toBytes(), (channel, handler) -> handler);
        }
    }
}
