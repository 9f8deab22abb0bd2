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
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Mounts the channels' webhooks on the application's own Spring MVC server (no second server is started), at
 * {@code switchboard.webhooks.path-prefix} + each channel's path, e.g. {@code /webhooks/telegram/support-bot}. With
 * the metrics present, each webhook is timed by status and observed.
 */
@AutoConfiguration(after = {SwitchboardAutoConfiguration.class, SwitchboardMetricsAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBean(Inbox.class)
@ConditionalOnProperty(prefix = "switchboard.webhooks", name = "enabled", havingValue = "true", matchIfMissing = true)
public class SwitchboardWebMvcAutoConfiguration {

    /** Used by Spring. */
    public SwitchboardWebMvcAutoConfiguration() {
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
            return WebhookRoutes.of(inbox.channels(), properties.getWebhooks().getPathPrefix(),
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
            return WebhookRoutes.of(inbox.channels(), properties.getWebhooks().getPathPrefix(),
                    properties.getWebhooks().getMaxBodySize().toBytes(), (channel, handler) -> handler);
        }
    }
}
