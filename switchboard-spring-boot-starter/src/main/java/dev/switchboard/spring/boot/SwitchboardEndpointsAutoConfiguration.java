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
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Mounts the routes and streams every inbox channel declares through {@code Channel.endpoints()} (the website chat's
 * session, history and upload endpoints, its WebSocket and Server-Sent Events streams; a plugin channel's own) on the
 * application's own Spring MVC server, at the paths the channels declare: routes and Server-Sent Events through a
 * {@code RouterFunction} bean ({@code switchboardEndpoints}), WebSocket streams through Spring's WebSocket support
 * ({@code switchboardWebSocketStreams}, when {@code spring-websocket} is on the classpath, e.g. with
 * {@code spring-boot-starter-websocket}). Server-Sent Events get a comment line every
 * {@code switchboard.endpoints.sse-heartbeat} and end after {@code switchboard.endpoints.sse-timeout}. No second
 * server is started; {@link SwitchboardReactiveEndpointsAutoConfiguration} does the same on WebFlux. Off with
 * {@code switchboard.endpoints.enabled=false}.
 */
@AutoConfiguration(after = {SwitchboardAutoConfiguration.class, SwitchboardMetricsAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBean(Inbox.class)
@ConditionalOnProperty(prefix = "switchboard.endpoints", name = "enabled", havingValue = "true", matchIfMissing = true)
public class SwitchboardEndpointsAutoConfiguration {

    /** Used by Spring. */
    public SwitchboardEndpointsAutoConfiguration() {
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
        SwitchboardProperties.Endpoints endpoints = properties.getEndpoints();
        return new EndpointRoutes(switchboardEndpointTable, switchboardStreamSenders,
                EndpointTable.positive(endpoints.getSseHeartbeat(), "switchboard.endpoints.sse-heartbeat"),
                EndpointTable.positive(endpoints.getSseTimeout(), "switchboard.endpoints.sse-timeout"));
    }

    /** WebSocket streams, with Spring's WebSocket support on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.socket.server.support.WebSocketHttpRequestHandler")
    static class WebSocketStreams {
        @Bean
        @ConditionalOnMissingBean(name = "switchboardWebSocketStreams")
        HandlerMapping switchboardWebSocketStreams(EndpointTable switchboardEndpointTable,
                                                   StreamSenders switchboardStreamSenders) {
            return new WebSocketStreamMapping(switchboardEndpointTable, switchboardStreamSenders);
        }
    }
}
