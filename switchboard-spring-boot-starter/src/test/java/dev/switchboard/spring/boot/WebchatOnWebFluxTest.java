package dev.switchboard.spring.boot;

import org.springframework.boot.test.context.SpringBootTest;

/** The website chat on a WebFlux application's port (Reactor Netty). */
@SpringBootTest(classes = WebchatOnTheApplicationServerTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.web-application-type=reactive", "switchboard.store.type=memory",
                "spring.flyway.enabled=false"})
class WebchatOnWebFluxTest extends WebchatOnTheApplicationServerTests {
}
