package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.vk.VkChannel;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A VK reply whose {@code random_id} coincides with another customer's message (the VK fake answers it with that
 * message and delivers nothing, as VK does) is caught by the inbox and sent again under a derived idempotency key:
 * both customers receive their reply, once.
 */
class VkRandomIdCollisionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aReplyVkDeduplicatedAgainstAnotherCustomersMessageReachesItsCustomer() throws Exception {
        try (VkFake fake = new VkFake()) {
            VkChannel vk = VkChannel.builder().id(ChannelId.of("vk")).groupId(VkFake.GROUP_ID)
                    .accessToken(VkFake.TOKEN).apiBaseUrl(fake.apiBaseUrl())
                    .callback(VkFake.SECRET, VkFake.CONFIRMATION).build();
            fake.bind(vk);
            try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).channel(vk)
                    .outbox(OutboxSettings.builder().pollInterval(Duration.ofMillis(20))
                            .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).build()).build()) {
                inbox.start();
                fake.deliverText("1001", "Ann", "hi");
                fake.deliverText("1002", "Bob", "hi");
                await().atMost(WAIT).until(() -> conversations(inbox).size() == 2);
                Message toAnn = inbox.reply(conversationOf(inbox, "1001").id(), Content.text("to ann"));
                await().atMost(WAIT).until(() -> status(inbox, toAnn) == DeliveryStatus.SENT);

                fake.collideNextSend();
                Message toBob = inbox.reply(conversationOf(inbox, "1002").id(), Content.text("to bob"));
                await().atMost(WAIT).until(() -> status(inbox, toBob) == DeliveryStatus.SENT);

                assertThat(fake.messagesTo("1001")).extracting(VkFake.Delivered::text).containsExactly("to ann");
                assertThat(fake.messagesTo("1002")).extracting(VkFake.Delivered::text).containsExactly("to bob");
                List<String> bobRandomIds = fake.calls("messages.send").stream()
                        .filter(c -> "1002".equals(c.params().get("peer_id")))
                        .map(c -> c.params().get("random_id")).toList();
                assertThat(bobRandomIds).hasSize(2).doesNotHaveDuplicates();
                assertThat(inbox.message(TenantId.DEFAULT, toBob.id()).orElseThrow().platformMessageId())
                        .isPresent()
                        .isNotEqualTo(inbox.message(TenantId.DEFAULT, toAnn.id()).orElseThrow().platformMessageId());
                assertThat(inbox.pendingOutboxCount()).isZero();
            }
        }
    }

    private static List<Conversation> conversations(Inbox inbox) {
        return inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items();
    }

    private static Conversation conversationOf(Inbox inbox, String platformUserId) {
        return conversations(inbox).stream()
                .filter(c -> inbox.customer(TenantId.DEFAULT, c.customer()).orElseThrow().accounts().stream()
                        .anyMatch(a -> a.account().platformUserId().equals(platformUserId)))
                .findFirst().orElseThrow();
    }

    private static DeliveryStatus status(Inbox inbox, Message m) {
        return inbox.message(TenantId.DEFAULT, m.id()).orElseThrow().status();
    }
}
