package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The tenant and channel in every log line of ingest and dispatch (the MDC). This is the inbox's own behaviour, not a
 * store's, so it runs once, on the in-memory store, rather than in the kit every store runs.
 */
class InboxLogContextTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TenantId SHOP = TenantId.of("shop");

    private final Logger root = (Logger) LoggerFactory.getLogger("dev.switchboard.inbox");
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Inbox inbox;

    @AfterEach
    void stop() {
        root.detachAppender(logs);
        if (inbox != null) {
            inbox.close();
        }
    }

    @Test
    void logLinesOfIngestAndDispatchNameTheTenantAndChannel() throws Exception {
        logs.start();
        root.addAppender(logs);
        FakeChannel tg = FakeChannel.of(SHOP, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        inbox = Inbox.builder().store(new InMemoryInboxStore()).channel(tg)
                .eventPollInterval(Duration.ofMillis(50))
                .leaseCheckInterval(Duration.ofMillis(200))
                .outbox(OutboxSettings.builder().pollInterval(Duration.ofMillis(20))
                        .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).sendTimeout(Duration.ofSeconds(2))
                        .leaseDuration(Duration.ofSeconds(5)).build())
                .build();
        inbox.start();
        inbox.forTenant(SHOP).addListener(e -> {
            throw new IllegalStateException("listener bug (test)");
        });
        InboundEvent.MessageReceived first = tg.text("42", "one");
        done(tg.deliver(first));
        done(tg.deliver(InboundEvent.MessageReceived.of("another-event", tg.account("42"), Instant.now(),
                first.platformMessageId(), Content.text("one again"))));

        await().atMost(WAIT).until(() -> warnings("going on with the others") > 0
                && warnings("again under a new event id") > 0);
        assertThat(List.copyOf(logs.list)).filteredOn(e -> e.getFormattedMessage().contains("going on with the others")
                        || e.getFormattedMessage().contains("again under a new event id"))
                .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("tenant", "shop")
                        .containsEntry("channel", "tg"));
    }

    private long warnings(String text) {
        return List.copyOf(logs.list).stream().filter(e -> e.getFormattedMessage().contains(text)).count();
    }

    private static void done(CompletionStage<?> stage) throws Exception {
        stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
