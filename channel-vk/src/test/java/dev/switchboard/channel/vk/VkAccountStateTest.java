package dev.switchboard.channel.vk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.Renderer;
import dev.switchboard.testkit.RecordingInboundSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the channel knows of each customer (denied messages, client_info) lives in the channel state: two instances
 * bound to one state (two nodes, or a run before and after a restart) agree, so a customer who denied messages is
 * never called again.
 */
class VkAccountStateTest {
    private static final String USER = VkFake.KNOWN_RECIPIENT;
    private final VkFake fake = new VkFake();
    private final RecordingInboundSink sink = new RecordingInboundSink();
    private final List<VkChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(c -> c.stop().toCompletableFuture().join());
        fake.close();
    }

    private VkChannel node(Optional<ChannelState> state) {
        VkChannel c = TestChannels.callback(fake).build();
        state.ifPresent(c::bindState);
        c.start(sink).toCompletableFuture().join();
        channels.add(c);
        return c;
    }

    private static OutboundMessage message(VkChannel channel, String user, Bubble bubble, String key) {
        return new OutboundMessage(channel.id(), ChannelAccount.of(channel.tenant(), channel.id(), user,
                Profile.EMPTY), MessageId.of("m-" + key.replace(':', '-')), 0, bubble, key, Optional.empty(),
                ThreadHints.NONE, Optional.empty(), false);
    }

    private static ChannelException failure(VkChannel channel, OutboundMessage m) {
        Throwable t = catchThrowable(() -> channel.send(m).toCompletableFuture().join());
        assertThat(t).isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(ChannelException.class);
        return (ChannelException) t.getCause();
    }

    @Test
    void aCustomerWhoDeniedOn901IsNotCalledAgainByAnotherNodeOrAfterARestart() {
        ChannelState shared = ChannelState.inMemory();
        VkChannel first = node(Optional.of(shared));
        fake.failNextSends(901, 1);
        assertThat(failure(first, message(first, USER, Bubble.TextBubble.plain("x"), "a:0")).failure().kind())
                .isEqualTo(FailureKind.RECIPIENT_UNREACHABLE);
        int calls = fake.calls("messages.send").size();

        VkChannel other = node(Optional.of(shared));
        assertThat(failure(other, message(other, USER, Bubble.TextBubble.plain("y"), "a:1")).failure().kind())
                .isEqualTo(FailureKind.RECIPIENT_UNREACHABLE);
        first.stop().toCompletableFuture().join();
        VkChannel restarted = node(Optional.of(shared));
        assertThat(failure(restarted, message(restarted, USER, Bubble.TextBubble.plain("z"), "a:2")).failure()
                .kind()).isEqualTo(FailureKind.RECIPIENT_UNREACHABLE);
        assertThat(fake.calls("messages.send")).as("VK not called again").hasSize(calls);
    }

    @Test
    void withoutSharedStateAnotherNodeCallsTheDeniedCustomerAgain() {
        VkChannel first = node(Optional.empty());
        fake.failNextSends(901, 1);
        failure(first, message(first, USER, Bubble.TextBubble.plain("x"), "b:0"));
        int calls = fake.calls("messages.send").size();
        VkChannel other = node(Optional.empty());
        other.send(message(other, USER, Bubble.TextBubble.plain("y"), "b:1")).toCompletableFuture().join();
        assertThat(fake.calls("messages.send")).hasSize(calls + 1);
    }

    @Test
    void messageDenyAndAllowReceivedOnOneNodeAreHonouredByTheOther() {
        ChannelState shared = ChannelState.inMemory();
        VkChannel receiving = node(Optional.of(shared));
        fake.bind(receiving);
        VkChannel sending = node(Optional.of(shared));
        fake.deny(USER);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.events(InboundEvent.AccountUpdate.class).size() == 1);
        failure(sending, message(sending, USER, Bubble.TextBubble.plain("x"), "c:0"));
        assertThat(fake.calls("messages.send")).isEmpty();

        fake.allow(USER);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.events(InboundEvent.AccountUpdate.class).size() == 2);
        sending.send(message(sending, USER, Bubble.TextBubble.plain("welcome back"), "c:1")).toCompletableFuture()
                .join();
        assertThat(fake.messagesTo(USER)).extracting(VkFake.Delivered::text).containsExactly("welcome back");
    }

    @Test
    void clientInfoReceivedOnOneNodeShapesKeyboardsSentByTheOther() {
        ChannelState shared = ChannelState.inMemory();
        VkChannel receiving = node(Optional.of(shared));
        fake.bind(receiving);
        VkChannel sending = node(Optional.of(shared));
        ObjectNode noKeyboard = fake.modernClient().put("inline_keyboard", false).put("keyboard", false);
        fake.deliverMessage((ObjectNode) fake.message("1002").put("text", "hi"), noKeyboard);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.events().size() == 1);

        Bubble bubble = Renderer.standard().render(Content.of(Choices.of("Pick one", Choice.postback("A", "a"),
                Choice.postback("B", "b"))), sending.capabilities()).bubbles().get(0);
        sending.send(message(sending, "1002", bubble, "d:0")).toCompletableFuture().join();
        VkFake.Delivered delivered = fake.messagesTo("1002").get(0);
        assertThat(delivered.keyboard()).isEmpty();
        assertThat(delivered.text()).contains("Pick one", "1. A", "2. B");
    }
}
