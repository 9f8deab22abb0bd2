package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import dev.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An acknowledgement queued while a message is ingested is sent at once: the ingest group that queued it wakes the
 * outbox after its commit (groups that queue nothing leave it asleep). The outbox here polls once an hour, so only
 * that wake-up can send it within the test.
 */
class AcknowledgementWakesOutboxTest {
    @Test
    void anAcknowledgementQueuedByIngestIsSentWithoutWaitingForThePoll() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        ManualClock clock = new ManualClock(java.time.Instant.parse("2026-12-07T07:00:00Z")); // Monday 10:00 Moscow
        try (InMemoryInboxStore store = new InMemoryInboxStore();
             Inbox inbox = Inbox.builder().store(store).clock(clock).channel(tg)
                     .acknowledgements(AcknowledgementContract.POLICY)
                     .outbox(OutboxSettings.builder().pollInterval(Duration.ofHours(1)).build()).build()) {
            inbox.calendars(TenantId.DEFAULT).setDefault(AcknowledgementContract.MOSCOW);
            inbox.start();

            tg.receive("anna", "where is my order?").toCompletableFuture().get(20, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(20)).until(() -> !tg.sent().isEmpty());
            assertThat(tg.sentTexts()).containsExactly("Hi User anna, we'll answer within 5 minutes.");
        }
    }
}
