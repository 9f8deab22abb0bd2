package dev.switchboard.channel.vk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import dev.switchboard.testkit.RecordingInboundSink;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two different idempotency keys whose {@code random_id}s coincide (found once by a brute-force search over
 * {@code collide-<n>:0} for the fake community): VK answers the second send with the first message and delivers
 * nothing, which is why the channel declares that it deduplicates sends by the key, and the key the outbox derives
 * ({@code key~1}) gets its own {@code random_id} and is delivered.
 */
class VkRandomIdCollisionTest {
    static final String KEY_A = "collide-7891:0";
    static final String KEY_B = "collide-134635:0";
    private final VkFake fake = new VkFake();
    private VkChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.stop().toCompletableFuture().join();
        }
        fake.close();
    }

    private OutboundMessage to(String user, String key, String text) {
        return new OutboundMessage(channel.id(), ChannelAccount.of(channel.tenant(), channel.id(), user,
                Profile.EMPTY), MessageId.of("m-" + key.replace('~', '-')), 0, Bubble.TextBubble.plain(text), key, Optional.empty(),
                ThreadHints.NONE, Optional.empty(), false);
    }

    @Test
    void twoKeysWithTheSameRandomIdLoseTheSecondMessageUntilItIsSentUnderADerivedKey() {
        assertThat(RandomIds.of(VkFake.GROUP_ID, KEY_A)).isEqualTo(RandomIds.of(VkFake.GROUP_ID, KEY_B))
                .isEqualTo(154_145_198);
        assertThat(RandomIds.of(VkFake.GROUP_ID, KEY_B + "~1")).isNotEqualTo(RandomIds.of(VkFake.GROUP_ID, KEY_A));
        channel = TestChannels.callback(fake).build();
        fake.bind(channel);
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        assertThat(channel.deduplicatesSendsByIdempotencyKey()).isTrue();

        String first = channel.send(to("1001", KEY_A, "to ann")).toCompletableFuture().join().platformMessageId();
        String second = channel.send(to("1002", KEY_B, "to bob")).toCompletableFuture().join().platformMessageId();
        assertThat(second).isEqualTo(first); // reported as sent, but bob got nothing
        assertThat(fake.messagesTo("1002")).isEmpty();

        String again = channel.send(to("1002", KEY_B + "~1", "to bob")).toCompletableFuture().join()
                .platformMessageId();
        assertThat(again).isNotEqualTo(first);
        assertThat(fake.messagesTo("1001")).extracting(VkFake.Delivered::text).containsExactly("to ann");
        assertThat(fake.messagesTo("1002")).extracting(VkFake.Delivered::text).containsExactly("to bob");
    }
}
