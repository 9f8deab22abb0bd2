package dev.switchboard.channel.vk;

import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import java.util.Optional;

/**
 * The child JVM of {@link VkKillNineExactlyOnceTest}: sends one outbox row (its idempotency key and text from the
 * arguments) through a VK channel against the parent's fake and prints the receipt, unless it is killed first.
 */
public final class VkSendChild {
    private VkSendChild() {
    }

    public static void main(String[] args) {
        String apiBaseUrl = args[0];
        String idempotencyKey = args[1];
        String text = args[2];
        VkChannel channel = TestChannels.longPoll(apiBaseUrl).build();
        SendReceipt receipt = channel.send(row(channel, idempotencyKey, text)).toCompletableFuture().join();
        System.out.println("SENT " + receipt.platformMessageId());
    }

    static OutboundMessage row(VkChannel channel, String idempotencyKey, String text) {
        return new OutboundMessage(channel.id(), ChannelAccount.of(channel.tenant(), channel.id(),
                VkFake.KNOWN_RECIPIENT, Profile.EMPTY), MessageId.of("row-" + idempotencyKey), 0,
                Bubble.TextBubble.plain(text), idempotencyKey, Optional.empty(), ThreadHints.NONE, Optional.empty(),
                false);
    }
}
