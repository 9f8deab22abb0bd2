package dev.switchboard.channel.viber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.ContactNotAllowedException;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The channel in a running inbox: replies through the outbox, and paid sends refused on request. */
class ViberInboxTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final ViberFake fake = new ViberFake(clock);
    private final ViberChannel channel = TestChannels.against(fake).clock(clock).build();
    private final InMemoryInboxStore store = new InMemoryInboxStore();
    private final Inbox inbox = Inbox.builder().store(store).nodeId("node-1").channel(channel).build();

    @AfterEach
    void close() {
        inbox.close();
        store.close();
        fake.close();
    }

    @Test
    void aReplyInsideTheWindowIsSentAndAPaidOneIsRefusedWhenAsked() {
        fake.pushTo(channel.webhook().orElseThrow());
        inbox.start();
        fake.deliverText("cust0001==", "Ann", "Where is my order?");
        await().atMost(Duration.ofSeconds(10)).until(() -> !inbox.conversations(
                ConversationQuery.all(TestChannels.TENANT, 10)).items().isEmpty());
        List<Conversation> conversations = inbox.conversations(ConversationQuery.all(TestChannels.TENANT, 10))
                .items();
        ConversationId conversation = conversations.get(0).id();

        inbox.reply(TestChannels.TENANT, conversation, Content.text("On its way"),
                ReplyOptions.defaults().refusePaidSends());
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.delivered().size() == 1);
        assertThat(fake.delivered().get(0).billed()).as("a session message").isFalse();

        clock.advance(Duration.ofHours(25));
        assertThatThrownBy(() -> inbox.reply(TestChannels.TENANT, conversation, Content.text("Anything else?"),
                ReplyOptions.defaults().refusePaidSends()))
                .isInstanceOfSatisfying(ContactNotAllowedException.class, e ->
                        assertThat(e.reason()).isEqualTo(ContactNotAllowedException.Reason.PAID_SEND_REFUSED));
        // without the option the host accepts the cost
        inbox.reply(TestChannels.TENANT, conversation, Content.text("Anything else?"), ReplyOptions.defaults());
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.delivered().size() == 2);
        assertThat(fake.delivered().get(1).billed()).isTrue();
    }
}
