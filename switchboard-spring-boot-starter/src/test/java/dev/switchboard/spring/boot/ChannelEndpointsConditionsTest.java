package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.Channel;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/** When the channels' declared endpoints are mounted on a Spring MVC or WebFlux application, and what stops them. */
class ChannelEndpointsConditionsTest {
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class,
                    SwitchboardEndpointsAutoConfiguration.class))
            .withPropertyValues("switchboard.store.type=memory");

    @Test
    void routesAndWebSocketStreamsAreMountedByDefault() {
        runner.withUserConfiguration(OneEcho.class).run(context -> assertThat(context).hasNotFailed()
                .hasBean("switchboardEndpoints").hasBean("switchboardWebSocketStreams"));
    }

    @Test
    void thePropertyTurnsThemOff() {
        runner.withUserConfiguration(OneEcho.class).withPropertyValues("switchboard.endpoints.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("switchboardEndpoints")
                        .doesNotHaveBean("switchboardWebSocketStreams"));
    }

    @Test
    void withoutSpringWebSocketOnlyTheRoutesAreMounted() {
        runner.withUserConfiguration(OneEcho.class)
                .withClassLoader(new FilteredClassLoader(WebSocketHttpRequestHandler.class))
                .run(context -> assertThat(context).hasNotFailed().hasBean("switchboardEndpoints")
                        .doesNotHaveBean("switchboardWebSocketStreams"));
    }

    @Test
    void twoChannelsOnOnePathFailTheStartNamingThePath() {
        runner.withUserConfiguration(OneEcho.class, AnotherEchoOnTheSamePath.class).run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("WEBSOCKET /echo/stream")
                        .hasMessageContaining("POST /echo/say"));
    }

    @Test
    void onWebFluxRoutesAndWebSocketStreamsAreMountedToo() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class,
                        SwitchboardReactiveEndpointsAutoConfiguration.class))
                .withPropertyValues("switchboard.store.type=memory").withUserConfiguration(OneEcho.class)
                .run(context -> assertThat(context).hasNotFailed()
                        .hasSingleBean(ReactiveEndpointRoutes.class).hasSingleBean(ReactiveWebSocketStreams.class)
                        .doesNotHaveBean(EndpointRoutes.class));
    }

    @Test
    void onWebFluxThePropertyTurnsThemOff() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class,
                        SwitchboardReactiveEndpointsAutoConfiguration.class))
                .withPropertyValues("switchboard.store.type=memory", "switchboard.endpoints.enabled=false")
                .withUserConfiguration(OneEcho.class)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("switchboardEndpoints")
                        .doesNotHaveBean("switchboardWebSocketStreams"));
    }

    @Test
    void aHeartbeatThatIsNotPositiveFailsTheStartNamingTheProperty() {
        runner.withUserConfiguration(OneEcho.class).withPropertyValues("switchboard.endpoints.sse-heartbeat=0s")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("switchboard.endpoints.sse-heartbeat: must be a positive duration"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OneEcho {
        @Bean
        Channel echo() {
            return new EchoStreamChannel("/echo");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AnotherEchoOnTheSamePath {
        @Bean
        Channel echoAgain() {
            return new EchoStreamChannel("echo-2", "/echo");
        }
    }
}
