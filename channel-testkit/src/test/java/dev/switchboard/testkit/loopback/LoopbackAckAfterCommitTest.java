package dev.switchboard.testkit.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.model.ChannelId;
import dev.switchboard.testkit.RecordingInboundSink;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Channel-specific tests beyond the kit, as a channel module would write them: acknowledging only after commit, and
 * quarantining what cannot be read. Uses the kit's {@link RecordingInboundSink}.
 */
class LoopbackAckAfterCommitTest {
    private final LoopbackPlatform platform = new LoopbackPlatform("t0ken");
    private final LoopbackChannel channel = LoopbackChannel.builder().id(ChannelId.of("lb")).token("t0ken")
            .platform(platform).build();
    private final RecordingInboundSink sink = new RecordingInboundSink();

    @AfterEach
    void stop() {
        channel.stop().toCompletableFuture().join();
        platform.close();
    }

    @Test
    void anUpdateWhoseCommitFailedIsFetchedAgainAndStoredOnce() {
        sink.failNextDeliveries(2);
        channel.start(sink).toCompletableFuture().join();
        String eventId = platform.deliverText("42", "Ann", "are you there?");

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.eventsWithId(eventId).size() == 1);
        assertThat(sink.failedDeliveries()).hasSize(2)
                .allSatisfy(e -> assertThat(((InboundEvent) e).eventId()).isEqualTo(eventId));
        // The cursor moved past the update only after the successful commit: later updates still arrive, once each.
        String next = platform.deliverText("42", "Ann", "hello?");
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.eventsWithId(next).size() == 1);
        assertThat(sink.eventsWithId(eventId)).hasSize(1);
    }

    @Test
    void anUnreadableUpdateIsQuarantinedAndTheNextOneStillArrives() {
        channel.start(sink).toCompletableFuture().join();
        String bad = platform.deliverText("42", "Ann", "");
        String good = platform.deliverText("42", "Ann", "second");

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.eventsWithId(good).size() == 1);
        assertThat(sink.rejected()).singleElement().satisfies(r -> {
            assertThat(r.platformEventId()).contains(bad);
            assertThat(r.reason()).isEqualTo("update has no text");
        });
    }
}
