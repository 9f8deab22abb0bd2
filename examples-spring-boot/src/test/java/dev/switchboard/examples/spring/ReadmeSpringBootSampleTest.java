package dev.switchboard.examples.spring;

import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.spring.boot.InboxBinding;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Spring Boot sample, verbatim between the markers; the examples module's {@code DocSamplesTest}
 * checks that the README still shows exactly this.
 */
class ReadmeSpringBootSampleTest {

    @Configuration
    static class SupportDeskConfiguration {
        // ---- README snippet begins
        @Bean
        InboxBinding acknowledge() {                  // inject Inbox anywhere else; this runs while it runs
            return inbox -> inbox.addListener(event -> { /* inbox.reply(...) */ });
        }
        // ---- README snippet ends
    }

    @Test
    void theBindingSubscribesAListenerThatItsHandleRemoves() throws Exception {
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            AutoCloseable bound = new SupportDeskConfiguration().acknowledge().bindTo(inbox);
            assertThat(bound).isNotNull();
            bound.close();
        }
    }
}
