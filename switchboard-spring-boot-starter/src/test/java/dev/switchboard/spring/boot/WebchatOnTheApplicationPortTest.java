package dev.switchboard.spring.boot;

import org.springframework.boot.test.context.SpringBootTest;

/** The website chat on a Spring MVC application's port (Tomcat). */
@SpringBootTest(classes = WebchatOnTheApplicationServerTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"switchboard.store.type=memory", "spring.flyway.enabled=false"})
class WebchatOnTheApplicationPortTest extends WebchatOnTheApplicationServerTests {
}
