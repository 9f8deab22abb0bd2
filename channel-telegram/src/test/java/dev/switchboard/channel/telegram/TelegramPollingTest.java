package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.testkit.RecordingInboundSink;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Long polling: offset advanced only after commit, nothing lost or repeated across a restart, conflicts, bad input. */
class TelegramPollingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private TelegramFake fake;

    @BeforeEach
    void startFake() {
        fake = new TelegramFake();
    }

    @AfterEach
    void closeFake() {
        fake.close();
    }

    private static Set<String> ids(RecordingInboundSink sink) {
        return sink.events().stream().map(InboundEvent::eventId).collect(Collectors.toSet());
    }

    @Test
    void offsetAdvancesPastTheHighestIdOnlyAfterCommitWithoutAssumingContiguousIds() {
        long a = Fixtures.push(fake, "text");
        long b = Fixtures.push(fake, "photo");
        long c = Fixtures.push(fake, "callback_query");
        assertThat(b - a).as("the fake must not number updates contiguously").isNotEqualTo(c - b);
        TelegramChannel channel = TestChannels.polling(fake).build();
        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().join();

        await().atMost(WAIT).until(() -> sink.events().size() == 3);
        await().atMost(WAIT).until(() -> fake.pendingUpdateIds().isEmpty());
        assertThat(fake.calls("getUpdates").stream().map(call -> call.params().path("offset").asLong())
                .filter(o -> o > 0)).contains(c + 1).allMatch(o -> o == c + 1);
        channel.stop().toCompletableFuture().join();
        assertThat(sink.events()).extracting(InboundEvent::eventId)
                .containsExactly(Long.toString(a), Long.toString(b), Long.toString(c));
    }

    @Test
    void aFailedCommitDoesNotAdvanceTheOffsetSoTelegramResendsTheSameBatch() {
        long a = Fixtures.push(fake, "text");
        long b = Fixtures.push(fake, "document");
        RecordingInboundSink sink = new RecordingInboundSink().failNextDeliveries(1);
        TelegramChannel channel = TestChannels.polling(fake).build();
        channel.start(sink).toCompletableFuture().join();

        await().atMost(WAIT).until(() -> sink.events().size() == 2);
        assertThat(sink.failedDeliveries()).hasSize(1);
        assertThat(ids(sink)).containsExactlyInAnyOrder(Long.toString(a), Long.toString(b));
        channel.stop().toCompletableFuture().join();
    }

    @Test
    void restartBetweenReceiveAndCommitLosesNothingAndRepeatsNothingAfterCommit() {
        long a = Fixtures.push(fake, "text");
        long b = Fixtures.push(fake, "contact_own");
        // Instance A receives the batch but its inbox never commits (the process dies before commit).
        RecordingInboundSink deadInbox = new RecordingInboundSink().failNextDeliveries(Integer.MAX_VALUE);
        TelegramChannel instanceA = TestChannels.polling(fake).build();
        instanceA.start(deadInbox).toCompletableFuture().join();
        await().atMost(WAIT).until(() -> !deadInbox.failedDeliveries().isEmpty());
        instanceA.stop().toCompletableFuture().join();
        assertThat(deadInbox.events()).isEmpty();
        assertThat(fake.pendingUpdateIds()).as("nothing may be confirmed to Telegram without a commit")
                .contains(a, b);

        // Instance B (a new process) receives the same updates and commits them.
        RecordingInboundSink inbox = new RecordingInboundSink();
        TelegramChannel instanceB = TestChannels.polling(fake).build();
        instanceB.start(inbox).toCompletableFuture().join();
        await().atMost(WAIT).until(() -> inbox.events().size() == 2);
        assertThat(ids(inbox)).containsExactlyInAnyOrder(Long.toString(a), Long.toString(b));
        long c = Fixtures.push(fake, "voice");
        await().atMost(WAIT).until(() -> inbox.events().size() == 3);
        instanceB.stop().toCompletableFuture().join();
        assertThat(fake.pendingUpdateIds()).as("a graceful stop confirms the committed batch").isEmpty();

        // Instance C starts after B and gets nothing again.
        RecordingInboundSink later = new RecordingInboundSink();
        TelegramChannel instanceC = TestChannels.polling(fake).build();
        instanceC.start(later).toCompletableFuture().join();
        long d = Fixtures.push(fake, "sticker");
        await().atMost(WAIT).until(() -> later.events().size() == 1);
        instanceC.stop().toCompletableFuture().join();
        assertThat(later.events()).extracting(InboundEvent::eventId).containsExactly(Long.toString(d));
        assertThat(inbox.events()).extracting(InboundEvent::eventId)
                .doesNotHaveDuplicates().contains(Long.toString(c));
    }

    @Test
    void conflictWithAWebhookIsReportedClearlyAndRetriedWithBackoff() {
        fake.setWebhookExternally("https://elsewhere.example/hook");
        TelegramChannel channel = TestChannels.polling(fake)
                .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(400)).build();
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        await().atMost(WAIT).until(() -> channel.pollingProblem().isPresent());
        assertThat(channel.pollingProblem().get()).contains("409").contains("webhook is active")
                .contains("deleteWebhook");
        await().atMost(WAIT).until(() -> fake.pollCalls() >= 3);
        long start = System.nanoTime();
        int before = fake.pollCalls();
        await().atMost(WAIT).until(() -> fake.pollCalls() >= before + 2);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("409 must be retried with backoff (here 400 ms), not in a tight loop")
                .isGreaterThanOrEqualTo(Duration.ofMillis(350));

        channel.deleteWebhook().toCompletableFuture().join();
        await().atMost(WAIT).until(() -> channel.pollingProblem().isEmpty());
        channel.stop().toCompletableFuture().join();
    }

    @Test
    void rateLimitedAndFailingPollsAreRetriedAndNothingIsLost() {
        long a = Fixtures.push(fake, "text");
        fake.failNextPoll(502, "<html>Bad Gateway</html>", java.util.Map.of());
        fake.failNextPoll(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 1\","
                + "\"parameters\":{\"retry_after\":1}}", java.util.Map.of("Content-Type", "application/json"));
        fake.failNextPoll(200, "{\"ok\":true,\"result\":[{", java.util.Map.of());
        TelegramChannel channel = TestChannels.polling(fake).build();
        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().join();
        await().atMost(WAIT).until(() -> sink.events().size() == 1);
        assertThat(sink.events().get(0).eventId()).isEqualTo(Long.toString(a));
        channel.stop().toCompletableFuture().join();
    }

    @Test
    void unknownAndBrokenUpdatesInABatchAreQuarantinedAndTheGoodOnesAroundThemDelivered() {
        long good1 = Fixtures.push(fake, "text");
        long unknown = Fixtures.push(fake, "poll_unknown_type");
        long broken = fake.pushRawUpdate("{\"update_id\": 732999999, \"message\": {\"message_id\": 1}}");
        fake.pushRawUpdate("\"not an update\"");
        long good2 = Fixtures.push(fake, "edited_message");
        TelegramChannel channel = TestChannels.polling(fake).build();
        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().join();
        await().atMost(WAIT).until(() -> sink.events().size() == 2 && sink.rejected().size() == 3);
        await().atMost(WAIT).until(() -> fake.pendingUpdateIds().isEmpty());
        channel.stop().toCompletableFuture().join();
        assertThat(sink.events()).extracting(InboundEvent::eventId)
                .containsExactly(Long.toString(good1), Long.toString(good2));
        List<RejectedInput> rejected = sink.rejected();
        assertThat(rejected.get(0).platformEventId()).contains(Long.toString(unknown));
        assertThat(rejected.get(0).reason()).contains("unsupported update type 'poll'");
        assertThat(rejected.get(1).platformEventId()).contains("732999999");
        assertThat(rejected.get(1).reason()).contains("malformed update");
        assertThat(rejected.get(2).reason()).isEqualTo("update is not a JSON object");
        assertThat(broken).isNotZero();
    }

    @Test
    void anUpdateWithAnOutOfRangeDateIsQuarantinedAndPollingMovesOn() {
        java.util.Map<String, Object> message = new java.util.LinkedHashMap<>();
        message.put("message_id", 5);
        message.put("from", java.util.Map.of("id", 77, "is_bot", false, "first_name", "Eve"));
        message.put("chat", java.util.Map.of("id", 77, "type", "private"));
        message.put("date", 999_999_999_999_999_999L); // beyond Instant.MAX
        message.put("text", "from the far future");
        long bad = Fixtures.push(fake, java.util.Map.of("message", message));
        long good = Fixtures.push(fake, "text");
        TelegramChannel channel = TestChannels.polling(fake).build();
        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().join();

        await().atMost(WAIT).until(() -> sink.events().size() == 1 && sink.rejected().size() == 1);
        await().atMost(WAIT).until(() -> fake.pendingUpdateIds().isEmpty());
        long later = Fixtures.push(fake, "photo");
        await().atMost(WAIT).until(() -> sink.events().size() == 2);
        channel.stop().toCompletableFuture().join();
        assertThat(sink.rejected().get(0).platformEventId()).contains(Long.toString(bad));
        assertThat(sink.rejected().get(0).reason()).contains("date");
        assertThat(sink.events()).extracting(InboundEvent::eventId)
                .containsExactly(Long.toString(good), Long.toString(later));
    }

    @Test
    void stopEndsThePollLoopPromptlyAndIsIdempotent() {
        TelegramChannel channel = TestChannels.polling(fake).pollTimeout(Duration.ofSeconds(50)).build();
        RecordingInboundSink stopped = new RecordingInboundSink();
        channel.start(stopped).toCompletableFuture().join();
        await().atMost(WAIT).until(() -> fake.pollCalls() >= 1);
        channel.stop().toCompletableFuture().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
        channel.stop().toCompletableFuture().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
        int calls = fake.pollCalls();
        long d = Fixtures.push(fake, "text");
        assertThat(fake.pollCalls()).isEqualTo(calls);
        assertThat(fake.pendingUpdateIds()).contains(d);
        // the update waits for the next poller and reaches it, not the stopped one (no window to wait out)
        TelegramChannel next = TestChannels.polling(fake).build();
        RecordingInboundSink nextSink = new RecordingInboundSink();
        next.start(nextSink).toCompletableFuture().join();
        try {
            await().atMost(WAIT).until(() -> nextSink.events().size() == 1);
            assertThat(nextSink.events().get(0).eventId()).isEqualTo(Long.toString(d));
            assertThat(stopped.events()).isEmpty();
        } finally {
            next.stop().toCompletableFuture().join();
        }
    }
}
