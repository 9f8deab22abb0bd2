package dev.switchboard.spring.boot;

import dev.switchboard.inbox.Inbox;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Mounts the routes and streams every inbox channel declares through {@code Channel.endpoints()} on a WebFlux
 * application's own server, at the paths the channels declare, as {@link SwitchboardEndpointsAutoConfiguration} does
 * on Spring MVC: routes and Server-Sent Events ({@code Flux<ServerSentEvent>}, a comment line every
 * {@code switchboard.endpoints.sse-heartbeat}) through a {@code RouterFunction} bean ({@code switchboardEndpoints}),
 * WebSocket streams through WebFlux's WebSocket support (a {@code HandlerMapping}, {@code switchboardWebSocketStreams},
 * that answers only upgrade requests on the channels' stream paths). Open streams are closed (1001) when the context
 * stops. No second server is started. Off with {@code switchboard.endpoints.enabled=false}.
 */
@AutoConfiguration(after = {SwitchboardAutoConfiguration.class, SwitchboardMetricsAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBean(Inbox.class)
@ConditionalOnProperty(prefix = "switchboard.endpoints", name = "enabled", havingValue = "true", matchIfMissing = true)
public class SwitchboardReactiveEndpointsAutoConfiguration {

    /** Used by Spring. */
    public SwitchboardReactiveEndpointsAutoConfiguration() {
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(name = "switchboardStreamSenders")
    StreamSenders switchboardStreamSenders() {
        return new StreamSenders();
    }

    @Bean
    @ConditionalOnMissingBean(name = "switchboardEndpointTable")
    EndpointTable switchboardEndpointTable(Inbox inbox, ObjectProvider<StreamInstrumentation> instrumentation) {
        return EndpointTable.of(inbox.channels(), instrumentation.getIfUnique(() -> StreamInstrumentation.NONE));
    }

    @Bean
    @ConditionalOnMissingBean(name = "switchboardEndpoints")
    RouterFunction<ServerResponse> switchboardEndpoints(EndpointTable switchboardEndpointTable,
                                                        StreamSenders switchboardStreamSenders,
                                                        SwitchboardProperties properties) {
        return new ReactiveEndpointRoutes(switchboardEndpointTable, switchboardStreamSenders,
                EndpointTable.positive(properties.getEndpoints().getSseHeartbeat(),
                        "switchboard.endpoints.sse-heartbeat"));
    }

    @Bean
    @ConditionalOnMissingBean(name = "switchboardWebSocketStreams")
    HandlerMapping switchboardWebSocketStreams(EndpointTable switchboardEndpointTable,
                                               StreamSenders switchboardStreamSenders) {
        return new ReactiveWebSocketStreams(switchboardEndpointTable, switchboardStreamSenders);
    }
}
