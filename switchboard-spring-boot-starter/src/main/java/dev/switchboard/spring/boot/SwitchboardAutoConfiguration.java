package dev.switchboard.spring.boot;

import dev.switchboard.channel.Channel;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxListener;
import dev.switchboard.inbox.InboxObserver;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Configures an {@link Inbox} from {@code switchboard.*}: the store (JDBC on the application's DataSource, or in
 * memory), the channels of every tenant through their {@link ChannelFactory}, identity and outbox options, the
 * application's {@link InboxListener}, {@link Channel} and {@link InboxBuilderCustomizer} beans, and an
 * {@link InboxObserver} (the metrics, when Micrometer is there). Every bean backs off when the application declares
 * its own. The inbox starts after the web server and closes before it ({@link SwitchboardInboxLifecycle}).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@ConditionalOnProperty(prefix = "switchboard", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SwitchboardProperties.class)
public class SwitchboardAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardAutoConfiguration.class);

    /** Used by Spring. */
    public SwitchboardAutoConfiguration() {
    }

    /** The identity engine with the {@code switchboard.identity.*} options. */
    @Bean
    @ConditionalOnMissingBean
    public IdentityEngine switchboardIdentityEngine(SwitchboardProperties properties) {
        SwitchboardProperties.Identity p = properties.getIdentity();
        IdentityEngine.Builder b = IdentityEngine.builder();
        String at = "switchboard.identity.";
        try {
            if (p.getDefaultRegion() != null) {
                b.defaultRegion(p.getDefaultRegion());
            }
            if (p.getSuggestionThreshold() != null) {
                b.suggestionThreshold(p.getSuggestionThreshold());
            }
            if (p.getCommonNameCustomers() != null) {
                b.commonNameCustomers(p.getCommonNameCustomers());
            }
            if (p.getSharedPointCustomers() != null) {
                b.sharedPointCustomers(p.getSharedPointCustomers());
            }
            if (p.getMaxNameCandidates() != null) {
                b.maxNameCandidates(p.getMaxNameCandidates());
            }
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SwitchboardConfigurationException(at + "*", e.getMessage());
        }
    }

    /** The outbox settings with the {@code switchboard.outbox.*} options. */
    @Bean
    @ConditionalOnMissingBean
    public OutboxSettings switchboardOutboxSettings(SwitchboardProperties properties) {
        SwitchboardProperties.Outbox p = properties.getOutbox();
        OutboxSettings.Builder b = OutboxSettings.builder();
        try {
            if (p.getWorkers() != null) {
                b.workers(p.getWorkers());
            }
            if (p.getBatchSize() != null) {
                b.batchSize(p.getBatchSize());
            }
            if (p.getMaxAttempts() != null) {
                b.maxAttempts(p.getMaxAttempts());
            }
            if (p.getBaseBackoff() != null || p.getMaxBackoff() != null) {
                OutboxSettings defaults = OutboxSettings.defaults();
                b.backoff(Optional.ofNullable(p.getBaseBackoff()).orElse(defaults.baseBackoff()),
                        Optional.ofNullable(p.getMaxBackoff()).orElse(defaults.maxBackoff()));
            }
            if (p.getJitter() != null) {
                b.jitter(p.getJitter());
            }
            if (p.getSendTimeout() != null) {
                b.sendTimeout(p.getSendTimeout());
            }
            if (p.getLeaseDuration() != null) {
                b.leaseDuration(p.getLeaseDuration());
            }
            if (p.getPollInterval() != null) {
                b.pollInterval(p.getPollInterval());
            }
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SwitchboardConfigurationException("switchboard.outbox.*", e.getMessage());
        }
    }

    /**
     * The store: JDBC on the application's DataSource ({@code switchboard.store.type} AUTO with exactly one DataSource,
     * or JDBC), else in memory. The schema is migrated once: through the application's Flyway when it has one,
     * otherwise by the store itself, unless {@code switchboard.store.migration=none}.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public InboxStore switchboardInboxStore(SwitchboardProperties properties, ObjectProvider<DataSource> dataSource,
                                            ObjectProvider<SwitchboardFlywayMigration> flyway) {
        SwitchboardProperties.Store p = properties.getStore();
        DataSource ds = p.getType() == SwitchboardProperties.StoreType.MEMORY ? null : dataSource.getIfUnique();
        if (ds == null) {
            if (p.getType() == SwitchboardProperties.StoreType.JDBC) {
                throw new SwitchboardConfigurationException("switchboard.store.type",
                        "is JDBC but the application has no single DataSource (configure spring.datasource.*)");
            }
            log.info("Switchboard uses the in-memory store: nothing survives a restart (configure a DataSource for"
                    + " the JDBC store)");
            return new InMemoryInboxStore();
        }
        SwitchboardFlywayMigration viaApplication = p.getMigration() == SwitchboardProperties.Migration.AUTO
                ? flyway.getIfAvailable() : null;
        JdbcInboxStore.Builder b = JdbcInboxStore.builder().dataSource(ds)
                .autoMigrate(p.getMigration() == SwitchboardProperties.Migration.AUTO && viaApplication == null);
        Optional<String> schema = Optional.ofNullable(p.getSchema()).filter(s -> !s.isBlank());
        try {
            schema.ifPresent(b::schema);
        } catch (IllegalArgumentException e) {
            throw new SwitchboardConfigurationException("switchboard.store.schema", e.getMessage());
        }
        JdbcInboxStore store;
        try {
            store = b.build();
        } catch (RuntimeException e) {
            throw new SwitchboardConfigurationException("switchboard.store",
                    "the JDBC store cannot use the application's DataSource (check spring.datasource.*): "
                            + rootMessage(e));
        }
        if (viaApplication != null) {
            try {
                viaApplication.migrate(store.databaseKind(), schema);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        return store;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    /**
     * The inbox: channels from {@code switchboard.tenants} plus the application's {@link Channel} beans, its
     * listeners, the observer, and the {@link InboxBuilderCustomizer}s. Checked as a whole: a bad configuration fails
     * the start with every problem named by property.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Inbox switchboardInbox(SwitchboardProperties properties, InboxStore store, IdentityEngine identity,
                                  OutboxSettings outbox, ObjectProvider<ChannelFactory> factories,
                                  ObjectProvider<Channel> channels, ObjectProvider<InboxListener> listeners,
                                  ObjectProvider<InboxObserver> observer,
                                  ObjectProvider<InboxBuilderCustomizer> customizers) {
        List<Channel> configured = new ChannelAssembler(factories.orderedStream().toList()).channels(properties);
        Inbox.Builder b = Inbox.builder().store(store).identity(identity).outbox(outbox)
                .threading(properties.getThreading()).reopenWindow(properties.getReopenWindow())
                .ingestThreads(properties.getIngest().getThreads())
                .ingestBatchSize(properties.getIngest().getBatchSize());
        if (properties.getNodeId() != null && !properties.getNodeId().isBlank()) {
            b.nodeId(properties.getNodeId());
        }
        configured.forEach(b::channel);
        channels.orderedStream().forEach(b::channel);
        listeners.orderedStream().forEach(b::listener);
        InboxObserver o = observer.getIfUnique();
        if (o != null) {
            b.observer(o);
        }
        customizers.orderedStream().forEach(c -> c.customize(b));
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SwitchboardConfigurationException("switchboard", e.getMessage());
        }
    }

    /** Starts the inbox after the web server, with whatever must be bound to it while it runs. */
    @Bean
    @ConditionalOnMissingBean
    public SwitchboardInboxLifecycle switchboardInboxLifecycle(Inbox inbox,
                                                               ObjectProvider<InboxBinding> bindings) {
        List<Function<Inbox, AutoCloseable>> all = new ArrayList<>();
        bindings.orderedStream().forEach(binding -> all.add(binding::bindTo));
        return new SwitchboardInboxLifecycle(inbox, all);
    }

    /** The channel types whose modules are on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.switchboard.channel.telegram.TelegramChannel")
    static class TelegramChannels {
        @Bean
        @ConditionalOnMissingBean
        TelegramChannelFactory telegramChannelFactory() {
            return new TelegramChannelFactory();
        }
    }

    /** The email channel type, when channel-email is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.switchboard.channel.email.EmailChannel")
    static class EmailChannels {
        @Bean
        @ConditionalOnMissingBean
        EmailChannelFactory emailChannelFactory() {
            return new EmailChannelFactory();
        }
    }

    /** The vk channel type, when channel-vk is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.switchboard.channel.vk.VkChannel")
    static class VkChannels {
        @Bean
        @ConditionalOnMissingBean
        VkChannelFactory vkChannelFactory() {
            return new VkChannelFactory();
        }
    }

    /** The viber channel type, when channel-viber is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.switchboard.channel.viber.ViberChannel")
    static class ViberChannels {
        @Bean
        @ConditionalOnMissingBean
        ViberChannelFactory viberChannelFactory() {
            return new ViberChannelFactory();
        }
    }

    /** Migration through the application's Flyway, when Spring Boot configured one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.flywaydb.core.Flyway",
            "org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer"})
    @ConditionalOnBean(Flyway.class)
    static class ApplicationFlyway {
        @Bean
        @ConditionalOnMissingBean
        SwitchboardFlywayMigration switchboardFlywayMigration(
                Flyway flyway,
                ObjectProvider<org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer> initializer) {
            // the application's own migrations run first
            initializer.ifAvailable(i -> { });
            return new SwitchboardFlywayMigration(flyway);
        }
    }
}
