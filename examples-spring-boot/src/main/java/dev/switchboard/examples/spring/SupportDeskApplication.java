package dev.switchboard.examples.spring;

import dev.switchboard.content.Content;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.spring.boot.InboxBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A support desk in one class: the Switchboard starter builds the inbox from {@code application.yml} (a Telegram bot
 * whose webhook is served by this application's own server, the store in an H2 file), and this application adds one
 * behaviour: every customer message gets an acknowledgement on the channel it came from. Health is at
 * {@code /actuator/health}, meters at {@code /actuator/metrics}.
 */
@SpringBootApplication
public class SupportDeskApplication {
    private static final Logger log = LoggerFactory.getLogger(SupportDeskApplication.class);

    /** Runs the desk. */
    public static void main(String[] args) {
        SpringApplication.run(SupportDeskApplication.class, args);
    }

    /** Acknowledges each received message in its conversation, while the inbox runs. */
    @Bean
    InboxBinding acknowledgeEveryMessage() {
        return inbox -> inbox.addListener(event -> {
            if (event.type() == InboxEvent.Type.MESSAGE_RECEIVED && event.conversation().isPresent()
                    && !"true".equals(event.attributes().get("automated"))) {
                inbox.reply(event.tenant(), event.conversation().get(),
                        Content.text("Thanks, we got your message and will answer shortly."),
                        dev.switchboard.inbox.ReplyOptions.defaults());
                log.info("Acknowledged a message in conversation {}", event.conversation().get());
            }
        });
    }
}
