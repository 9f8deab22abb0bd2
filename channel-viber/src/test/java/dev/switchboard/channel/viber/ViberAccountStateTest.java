package dev.switchboard.channel.viber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendCost;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.LogEntry;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.content.Choice;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.RecordingInboundSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the channel knows of each customer (subscription, the session window, client API version, offered choices)
 * lives in the channel state: two instances bound to one state (two nodes, or a run before and after a restart)
 * agree, so an unsubscribed customer is never called again and the cost of a send is the same everywhere.
 */
class ViberAccountStateTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final ViberFake fake = new ViberFake(clock);
    private final RecordingInboundSink sink = new RecordingInboundSink();
    private final List<ViberChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(c -> c.stop().toCompletableFuture().join());
        fake.close();
    }

    private ViberChannel node(Optional<ChannelState> state) throws Exception {
        ViberChannel c = TestChannels.against(fake).clock(clock).build();
        state.ifPresent(c::bindState);
        c.start(sink).toCompletableFuture().get(10, TimeUnit.SECONDS);
        channels.add(c);
        return c;
    }

    /** A node that receives the callbacks (there is one webhook URL per bot). */
    private ViberChannel receivingNode(Optional<ChannelState> state) throws Exception {
        ViberChannel c = node(state);
        fake.pushTo(c.webhook().orElseThrow());
        return c;
    }

    private static ChannelAccount customer(String user) {
        return ChannelAccount.of(TestChannels.TENANT, TestChannels.ID, user, Profile.EMPTY);
    }

    private static OutboundMessage to(String user, Bubble bubble) {
        return OutboundMessage.simple(TestChannels.ID, customer(user), bubble);
    }

    /** The failure of a send that must not call Viber (a node's start calls it, so count around the send only). */
    private ChannelException failsWithoutCall(ViberChannel channel, String user, String text) {
        int calls = fake.calls();
        ChannelException e = failure(channel, user, text);
        assertThat(fake.calls()).as("Viber not called").isEqualTo(calls);
        return e;
    }

    private static ChannelException failure(ViberChannel channel, String user, String text) {
        try {
            channel.send(to(user, Bubble.TextBubble.plain(text))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            return (ChannelException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the send succeeded");
    }

    private void awaitStored(String token) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.eventsWithId(token).isEmpty());
    }

    private void writes(String user, String text) {
        awaitStored(fake.deliverText(user, "Customer", text));
    }

    @Test
    void anUnsubscribedCustomerIsNotCalledByAnotherNodeOrAfterARestart() throws Exception {
        ChannelState shared = ChannelState.inMemory(clock);
        ViberChannel receiving = receivingNode(Optional.of(shared));
        ViberChannel other = node(Optional.of(shared));
        writes("u-gone==", "hello");
        awaitStored(fake.unsubscribe("u-gone=="));

        ChannelException e = failsWithoutCall(other, "u-gone==", "Still there?");
        assertThat(e.retryable()).isFalse();
        assertThat(e.failure().kind()).isEqualTo(FailureKind.RECIPIENT_UNREACHABLE);
        receiving.stop().toCompletableFuture().join();
        ViberChannel restarted = node(Optional.of(shared));
        assertThat(failsWithoutCall(restarted, "u-gone==", "Hello?").failure().kind())
                .isEqualTo(FailureKind.RECIPIENT_UNREACHABLE);
    }

    @Test
    void statusSixOnOneNodeIsRecordedForTheOther() throws Exception {
        ChannelState shared = ChannelState.inMemory(clock);
        ViberChannel first = node(Optional.of(shared));
        ViberChannel other = node(Optional.of(shared));
        fake.failNextSends(6, 1);
        assertThat(failure(first, ViberFake.KNOWN_RECIPIENT, "a").retryable()).isFalse();
        assertThat(failsWithoutCall(other, ViberFake.KNOWN_RECIPIENT, "b").failure().kind())
                .isEqualTo(FailureKind.RECIPIENT_UNREACHABLE);
    }

    @Test
    void withoutSharedStateAnotherNodeCallsTheUnsubscribedCustomerAndKnowsNoWindow() throws Exception {
        receivingNode(Optional.empty());
        ViberChannel other = node(Optional.empty());
        writes("u-gone==", "hello");
        awaitStored(fake.unsubscribe("u-gone=="));
        int calls = fake.calls();
        assertThat(failure(other, "u-gone==", "Still there?").failure().platformCode()).contains("6");
        assertThat(fake.calls()).as("the other node called Viber").isEqualTo(calls + 1);
        assertThat(other.sendCost(customer("u-gone=="))).isEqualTo(SendCost.PAID);
    }

    @Test
    void whenTheStateCannotBeReadASendIsRetryableWithoutCallingViberAndCountsAsPaid() throws Exception {
        ViberChannel channel = node(Optional.of(new UnreadableState()));
        ChannelException e = failsWithoutCall(channel, ViberFake.KNOWN_RECIPIENT, "hello");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("channel state");
        assertThat(channel.sendCost(customer(ViberFake.KNOWN_RECIPIENT))).isEqualTo(SendCost.PAID);
    }

    /** A state whose store is down: every operation fails. */
    private static final class UnreadableState implements ChannelState {
        private static <T> CompletionStage<T> down() {
            return CompletableFuture.failedFuture(new IllegalStateException("store down"));
        }

        @Override
        public CompletionStage<Optional<StateRecord>> get(String key) {
            return down();
        }

        @Override
        public CompletionStage<StateRecord> put(String key, String value, Optional<Duration> ttl) {
            return down();
        }

        @Override
        public CompletionStage<Optional<StateRecord>> compareAndSet(String key, long expectedVersion, String value,
                Optional<Duration> ttl) {
            return down();
        }

        @Override
        public CompletionStage<Boolean> delete(String key) {
            return down();
        }

        @Override
        public CompletionStage<LogEntry> append(String log, LongFunction<String> valueOfSeq) {
            return down();
        }

        @Override
        public CompletionStage<Long> lastSeq(String log) {
            return down();
        }

        @Override
        public CompletionStage<List<LogEntry>> read(String log, long afterSeq, int limit) {
            return down();
        }
    }

    @Test
    void theSessionWindowOpenedOnOneNodeIsKnownToTheOtherAndAfterARestart() throws Exception {
        ChannelState shared = ChannelState.inMemory(clock);
        ViberChannel receiving = receivingNode(Optional.of(shared));
        ViberChannel other = node(Optional.of(shared));
        assertThat(other.sendCost(customer("u-w=="))).isEqualTo(SendCost.PAID);
        writes("u-w==", "hi");
        assertThat(other.sendCost(customer("u-w=="))).isEqualTo(SendCost.SESSION);

        receiving.stop().toCompletableFuture().join();
        ViberChannel restarted = node(Optional.of(shared));
        clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertThat(restarted.sendCost(customer("u-w=="))).isEqualTo(SendCost.SESSION);
        clock.advance(Duration.ofMinutes(1));
        assertThat(restarted.sendCost(customer("u-w=="))).isEqualTo(SendCost.PAID);
    }

    @Test
    void aLaterMessageWithinAMinuteDoesNotMoveTheWindowAndOneAfterDoes() throws Exception {
        ChannelState shared = ChannelState.inMemory(clock);
        receivingNode(Optional.of(shared));
        ViberChannel other = node(Optional.of(shared));
        writes("u-chat==", "hi");
        clock.advance(Duration.ofSeconds(30));
        writes("u-chat==", "are you there?");
        clock.advance(Duration.ofHours(24).minusSeconds(30));
        assertThat(other.sendCost(customer("u-chat==")))
                .as("recorded at one-minute granularity: the window closes early, never late")
                .isEqualTo(SendCost.PAID);
        writes("u-chat==", "hello again");
        clock.advance(Duration.ofHours(23));
        assertThat(other.sendCost(customer("u-chat=="))).isEqualTo(SendCost.SESSION);
    }

    @Test
    void choicesSentByOneNodeMapBackOnTheNodeReceivingThePress() throws Exception {
        ChannelState shared = ChannelState.inMemory(clock);
        receivingNode(Optional.of(shared));
        ViberChannel sending = node(Optional.of(shared));
        writes("u-kb==", "hi");
        sending.send(to("u-kb==", new Bubble.TextBubble("Was it answered?", "Was it answered?", Markup.PLAIN,
                List.of(Choice.postback("Yes", "kit:yes"), Choice.postback("No", "kit:no")))))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        String token = fake.deliverText("u-kb==", "Customer", "No");
        awaitStored(token);
        assertThat(sink.eventsWithId(token).get(0)).isInstanceOfSatisfying(InboundEvent.Postback.class,
                p -> assertThat(p.payload()).isEqualTo("kit:no"));
    }
}
