package dev.switchboard.spring.boot;

import dev.switchboard.inbox.Inbox;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The inbox's channels as Spring Boot health: {@code switchboard} is a composite of tenants, each a composite of its
 * channels, each reporting {@link dev.switchboard.channel.Channel#health()} (a channel with bad credentials is DOWN
 * with the reason, a stopped one OUT_OF_SERVICE). Turn it off with {@code management.health.switchboard.enabled=false}.
 */
@AutoConfiguration(after = SwitchboardAutoConfiguration.class)
@ConditionalOnClass(CompositeHealthContributor.class)
@ConditionalOnBean(Inbox.class)
@ConditionalOnEnabledHealthIndicator("switchboard")
public class SwitchboardHealthAutoConfiguration {

    /** Used by Spring. */
    public SwitchboardHealthAutoConfiguration() {
    }

    /** The {@code switchboard} health contributor. */
    @Bean
    @ConditionalOnMissingBean(name = "switchboardHealthContributor")
    public CompositeHealthContributor switchboardHealthContributor(Inbox inbox) {
        return new InboxHealthContributor(inbox);
    }
}
