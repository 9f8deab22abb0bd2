package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.switchboard.channel.Channel;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.reactive.function.server.RouterFunction;

/** Channel webhooks on the application's own server: Spring MVC and WebFlux, same paths, same answers. */
class WebhookMountingTest {

    private static final String[] PROPERTIES = {"switchboard.webhooks.path-prefix=/hooks",
            "switchboard.webhooks.max-body-size=64B"};

    @Test
    void springMvcMountsEveryWebhookAndAnswersAfterCommit() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class,
                        SwitchboardWebMvcAutoConfiguration.class,
                        org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration.class,
                        org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration.class))
                .withUserConfiguration(TestChannel.class)
                .withPropertyValues(PROPERTIES)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
                    MvcResult stored = answer(mvc, post("/hooks/webhooks/test/site?from=visitor-1")
                            .header("X-Token", "right").content("hello from the site"));
                    status().isOk().match(stored);
                    content().string("stored").match(stored);
                    header().string("X-Handled-By", "site").match(stored);
                    assertThat(storedTexts(context.getBean(Inbox.class))).containsExactly("hello from the site");
                    status().isUnauthorized().match(answer(mvc, post("/hooks/webhooks/test/site")
                            .header("X-Token", "wrong").content("x")));
                    status().isInternalServerError().match(answer(mvc, post("/hooks/webhooks/test/site")
                            .header("X-Token", "right").content("boom")));
                    mvc.perform(post("/hooks/webhooks/test/site").header("X-Token", "right")
                            .content("x".repeat(65))).andExpect(status().isPayloadTooLarge());
                    mvc.perform(post("/webhooks/test/site").header("X-Token", "right").content("x"))
                            .andExpect(status().isNotFound());
                });
    }

    @Test
    void webFluxMountsTheSameWebhooks() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class,
                        SwitchboardWebFluxAutoConfiguration.class, SwitchboardWebMvcAutoConfiguration.class))
                .withUserConfiguration(TestChannel.class)
                .withPropertyValues(PROPERTIES)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean("switchboardWebhooks");
                    @SuppressWarnings("unchecked")
                    RouterFunction<org.springframework.web.reactive.function.server.ServerResponse> routes =
                            context.getBean("switchboardWebhooks", RouterFunction.class);
                    WebTestClient client = WebTestClient.bindToRouterFunction(routes).build();
                    client.post().uri("/hooks/webhooks/test/site?from=visitor-2").header("X-Token", "right")
                            .bodyValue("hello over webflux").exchange()
                            .expectStatus().isOk().expectHeader().valueEquals("X-Handled-By", "site")
                            .expectBody(String.class).isEqualTo("stored");
                    assertThat(storedTexts(context.getBean(Inbox.class))).containsExactly("hello over webflux");
                    client.post().uri("/hooks/webhooks/test/site").header("X-Token", "wrong").bodyValue("x")
                            .exchange().expectStatus().isUnauthorized();
                    client.post().uri("/hooks/webhooks/test/site").header("X-Token", "right").bodyValue("boom")
                            .exchange().expectStatus().is5xxServerError();
                    client.post().uri("/hooks/webhooks/test/site").header("X-Token", "right")
                            .bodyValue("x".repeat(65)).exchange().expectStatus().isEqualTo(413);
                    client.post().uri("/webhooks/test/site").header("X-Token", "right").bodyValue("x")
                            .exchange().expectStatus().isNotFound();
                });
    }

    /** The response, after the async dispatch when the handler's stage was not complete yet. */
    private static MvcResult answer(MockMvc mvc, org.springframework.test.web.servlet.RequestBuilder request)
            throws Exception {
        MvcResult result = mvc.perform(request).andReturn();
        return result.getRequest().isAsyncStarted() ? mvc.perform(asyncDispatch(result)).andReturn() : result;
    }

    private static java.util.List<String> storedTexts(Inbox inbox) {
        return inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items().stream()
                .flatMap(c -> inbox.messages(c.id()).stream()).map(m -> m.content().plainText()).toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class TestChannel {
        @Bean
        Channel site() {
            return new WebhookChannel("site");
        }
    }
}
