package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.LogEntry;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.Renderer;
import dev.switchboard.testkit.RecordingInboundSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long button payloads live in the channel's state: a button sent by one instance maps back when it is pressed on
 * another instance (another node, or the next run after a restart) bound to the same state.
 */
class TelegramButtonStateTest {
    private static final String CHAT = TelegramFake.KNOWN_RECIPIENT;
    private static final String LONG_PAYLOAD =
            "order:12345:action=cancel-and-refund-to-original-payment-method:reason=damaged:ü";

    private TelegramFake fake;
    private TelegramChannel sender;
    private TelegramChannel receiver;

    @BeforeEach
    void setUp() {
        fake = new TelegramFake();
        sender = TestChannels.polling(fake).build();
        receiver = TestChannels.polling(fake).build();
    }

    @AfterEach
    void tearDown() {
        sender.stop().toCompletableFuture().join();
        receiver.stop().toCompletableFuture().join();
        fake.close();
    }

    @Test
    void aLongButtonSentByOneInstanceMapsBackOnAnotherSharingTheState() {
        ChannelState shared = ChannelState.inMemory();
        sender.bindState(shared);
        receiver.bindState(shared);
        String data = sendLongButton();
        sender.stop().toCompletableFuture().join(); // the node that sent it is gone

        assertThat(pressOn(receiver, data).payload()).isEqualTo(LONG_PAYLOAD);
        assertThat(shared.get("telegram.callback:" + data).toCompletableFuture().join()
                .flatMap(StateRecord::expiresAt)).as("kept for a while, not forever").isPresent();
    }

    @Test
    void withoutSharedStateTheOtherInstanceSeesOnlyTheHash() {
        String data = sendLongButton(); // each instance keeps its own in-memory state
        assertThat(pressOn(receiver, data).payload()).isEqualTo(data);
    }

    @Test
    void aButtonWhosePayloadCannotBeStoredIsNotSent() {
        sender.bindState(new UnavailableState());
        Bubble bubble = Renderer.standard().render(Content.of(Choices.of("What now?",
                Choice.postback("Cancel", LONG_PAYLOAD))), sender.capabilities(), sender.id()).bubbles().get(0);
        try {
            sender.send(to(bubble)).toCompletableFuture().join();
            throw new AssertionError("expected a failure");
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(ChannelException.class);
            assertThat(((ChannelException) e.getCause()).retryable()).isTrue();
        }
        assertThat(fake.calls("sendMessage")).isEmpty();
    }

    private OutboundMessage to(Bubble bubble) {
        return OutboundMessage.simple(sender.id(), ChannelAccount.of(sender.tenant(), sender.id(), CHAT,
                Profile.EMPTY), bubble);
    }

    private String sendLongButton() {
        Bubble bubble = Renderer.standard().render(Content.of(Choices.of("What now?",
                Choice.postback("Cancel", LONG_PAYLOAD))), sender.capabilities(), sender.id()).bubbles().get(0);
        sender.send(to(bubble)).toCompletableFuture().join();
        List<TelegramFake.ApiCall> calls = fake.calls("sendMessage");
        JsonNode keyboard = calls.get(calls.size() - 1).params().path("reply_markup").path("inline_keyboard");
        String data = keyboard.get(0).get(0).path("callback_data").asText();
        assertThat(data).startsWith("#");
        assertThat(data.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
        return data;
    }

    private InboundEvent.Postback pressOn(TelegramChannel channel, String data) {
        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().join();
        long id = Fixtures.push(fake, Map.of("callback_query", Map.of("id", "77", "data", data,
                "chat_instance", "1", "from", Map.of("id", 424242001L, "is_bot", false, "first_name", "Bo"),
                "message", Map.of("message_id", 1, "date", 1763900000L,
                        "chat", Map.of("id", 424242001L, "type", "private")))));
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.eventsWithId(Long.toString(id)).isEmpty());
        return (InboundEvent.Postback) sink.eventsWithId(Long.toString(id)).get(0);
    }

    /** A state whose store is down. */
    private static final class UnavailableState implements ChannelState {
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
}
