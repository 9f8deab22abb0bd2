package dev.switchboard.channel.vk;

import dev.switchboard.testkit.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.testkit.RecordingInboundSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bots Long Poll: ts after commit, failed 1/2/3, proactive key renewal, bad token. */
class VkLongPollTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final VkFake fake = new VkFake(Duration.ofMillis(200));
    private VkChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.stop().toCompletableFuture().join();
        }
        fake.close();
    }

    private void start(VkChannel c, dev.switchboard.channel.InboundSink sink) {
        channel = c;
        c.start(sink).toCompletableFuture().join();
    }

    private void awaitEvent(RecordingInboundSink sink, String eventId) {
        await().atMost(WAIT).until(() -> !sink.eventsWithId(eventId).isEmpty());
    }

    @Test
    void tsAdvancesOnlyAfterTheCommit() {
        VkCallbackWebhookTest.HeldSink sink = new VkCallbackWebhookTest.HeldSink();
        start(TestChannels.longPoll(fake).build(), sink);
        String initialTs = fake.longPollChecks().isEmpty() ? null : fake.longPollChecks().get(0);
        String eventId = fake.deliverText("1001", "", "hold my commit");
        await().atMost(WAIT).until(() -> sink.commits.size() == 1);
        String tsOfTheBatch = fake.longPollChecks().get(fake.longPollChecks().size() - 1);
        int checksSoFar = fake.longPollChecks().size();

        // while the commit is held the poller asks for nothing new
        assertThat(fake.longPollChecks()).hasSize(checksSoFar);
        sink.commits.get(0).completeExceptionally(new IllegalStateException("commit failed"));

        // the failed commit reads the same ts again and gets the same event
        await().atMost(WAIT).until(() -> sink.commits.size() == 2);
        assertThat(sink.events).extracting(InboundEvent::eventId).containsExactly(eventId, eventId);
        assertThat(fake.longPollChecks().subList(checksSoFar, fake.longPollChecks().size()))
                .containsOnly(tsOfTheBatch);
        sink.commits.get(1).complete(null);
        await().atMost(WAIT).until(() -> fake.longPollChecks().stream()
                .anyMatch(ts -> Long.parseLong(ts) > Long.parseLong(tsOfTheBatch)));
        assertThat(initialTs == null || Long.parseLong(initialTs) <= Long.parseLong(tsOfTheBatch)).isTrue();
    }

    @Test
    void failedOneContinuesWithTheReturnedTs() {
        RecordingInboundSink sink = new RecordingInboundSink();
        start(TestChannels.longPoll(fake).build(), sink);
        int before = fake.longPollChecks().size();
        fake.failNextLongPoll(1);
        // failed 1 means VK may have lost events: only what arrives after the answer is promised
        await().atMost(WAIT).until(() -> fake.longPollChecks().size() >= before + 2);
        String eventId = fake.deliverText("1001", "", "after failed 1");
        awaitEvent(sink, eventId);
        assertThat(fake.longPollSessions()).isEqualTo(1);
    }

    @Test
    void failedTwoTakesANewKeyAndKeepsTheTs() {
        RecordingInboundSink sink = new RecordingInboundSink();
        start(TestChannels.longPoll(fake).build(), sink);
        String first = fake.deliverText("1001", "", "one");
        awaitEvent(sink, first);
        fake.failNextLongPoll(2);
        String second = fake.deliverText("1001", "", "two");
        // A poll already waiting when the failure was scripted may bring "two" before a later poll meets the failure;
        // either way the failure must lead to a new key, and "two" must arrive once (with a fresh ts it would be lost).
        awaitEvent(sink, second);
        await().atMost(WAIT).until(() -> fake.longPollSessions() == 2);
        assertThat(sink.events(InboundEvent.MessageReceived.class)).hasSize(2);
    }

    @Test
    void anExpiredKeyIsReplacedWithoutLosingEvents() {
        RecordingInboundSink sink = new RecordingInboundSink();
        start(TestChannels.longPoll(fake).build(), sink);
        fake.expireLongPollKey();
        String eventId = fake.deliverText("1001", "", "while the key expired");
        awaitEvent(sink, eventId);
        assertThat(fake.longPollSessions()).isEqualTo(2);
    }

    @Test
    void failedThreeTakesANewKeyAndTs() {
        RecordingInboundSink sink = new RecordingInboundSink();
        start(TestChannels.longPoll(fake).build(), sink);
        fake.failNextLongPoll(3);
        await().atMost(WAIT).until(() -> fake.longPollSessions() == 2);
        String eventId = fake.deliverText("1001", "", "after failed 3");
        awaitEvent(sink, eventId);
    }

    @Test
    void theSessionIsRenewedBeforeItExpiresKeepingTheTs() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:00:00Z"));
        RecordingInboundSink sink = new RecordingInboundSink();
        start(TestChannels.longPoll(fake).clock(clock).longPollSessionMaxAge(Duration.ofMinutes(10)).build(), sink);
        String first = fake.deliverText("1001", "", "one");
        awaitEvent(sink, first);
        assertThat(fake.longPollSessions()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(11));
        await().atMost(WAIT).until(() -> fake.longPollSessions() == 2);
        String second = fake.deliverText("1001", "", "two");
        awaitEvent(sink, second);
        assertThat(sink.events(InboundEvent.MessageReceived.class)).hasSize(2);
    }

    @Test
    void aRefusedTokenMarksTheChannelDown() {
        start(TestChannels.longPoll(fake).accessToken("vk1.a.someOtherTokenThatVkRefuses0000").build(),
                new RecordingInboundSink());
        ChannelHealth health = channel.health();
        assertThat(health.status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(health.problem()).contains(ChannelHealth.Problem.BAD_CREDENTIALS);
        assertThat(health.detail().orElseThrow()).doesNotContain("someOtherToken");
    }

    @Test
    void aPollerAfterACrashRereadsWhatWasReceivedButNotCommitted() {
        VkLongPollCursor durable = VkLongPollCursor.inMemory(); // stands for the host's table
        RecordingInboundSink committed = new RecordingInboundSink();
        VkChannel first = TestChannels.longPoll(fake).longPollCursor(durable).build();
        first.start(committed).toCompletableFuture().join();
        String one = fake.deliverText("1001", "", "one");
        awaitEvent(committed, one);
        first.stop().toCompletableFuture().join();

        // the next process takes the event but dies before the commit: its sink never completes
        VkCallbackWebhookTest.HeldSink dying = new VkCallbackWebhookTest.HeldSink();
        VkChannel crashed = TestChannels.longPoll(fake).longPollCursor(durable).build();
        crashed.start(dying).toCompletableFuture().join();
        String two = fake.deliverText("1001", "", "two");
        await().atMost(WAIT).until(() -> dying.events.size() == 1);
        String three = fake.deliverText("1001", "", "three (while nobody polls)");

        // a new process (another node) with the same cursor reads two and three, not from the new session's ts
        channel = TestChannels.longPoll(fake).longPollCursor(durable).build();
        channel.start(committed).toCompletableFuture().join();
        awaitEvent(committed, two);
        awaitEvent(committed, three);
        assertThat(committed.events(InboundEvent.MessageReceived.class)).extracting(InboundEvent::eventId)
                .containsExactly(one, two, three);
        crashed.stop();
    }

    @Test
    void aStoppedChannelStartsAgainAndContinuesFromItsTs() {
        RecordingInboundSink sink = new RecordingInboundSink();
        start(TestChannels.longPoll(fake).build(), sink);
        String first = fake.deliverText("1001", "", "one");
        awaitEvent(sink, first);
        channel.stop().toCompletableFuture().join();
        String whileStopped = fake.deliverText("1001", "", "while stopped");
        channel.start(sink).toCompletableFuture().join();
        awaitEvent(sink, whileStopped);
        assertThat(sink.events(InboundEvent.MessageReceived.class)).extracting(InboundEvent::eventId)
                .containsExactly(first, whileStopped);
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.UP);
        List<String> checks = fake.longPollChecks();
        assertThat(checks).isNotEmpty();
    }
}
