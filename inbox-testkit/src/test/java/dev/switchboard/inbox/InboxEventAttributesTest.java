package dev.switchboard.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Message;
import dev.switchboard.model.Priority;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The attribute names the inbox writes on events are the documented {@link InboxEvent.Attribute} constants, and the
 * typed accessors read them; a new attribute without a constant fails here.
 */
class InboxEventAttributesTest {

    @Test
    void everyAttributeTheInboxWritesHasAConstant() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        tg.failNext(SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, "403", "Forbidden: bot was blocked"));
        try (InMemoryInboxStore store = new InMemoryInboxStore();
             Inbox inbox = Inbox.builder().store(store).channel(tg).build()) {
            inbox.start();
            tg.receive("42", "hello").toCompletableFuture().get(10, TimeUnit.SECONDS);
            tg.receive("43", "hi").toCompletableFuture().get(10, TimeUnit.SECONDS);
            tg.reject("garbage", "unparseable").toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<Conversation> conversations = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10))
                    .items();
            Conversation c = conversations.get(0);
            Message failed = inbox.reply(c.id(), Content.text("first"), ReplyOptions.defaults()
                    .channel(ChannelId.of("tg")).agent("ann").automated(true));
            inbox.assign(c.id(), "ann");
            inbox.unassign(c.id());
            inbox.setPriority(c.id(), Priority.HIGH);
            inbox.tag(c.id(), Set.of("vip"));
            inbox.untag(TenantId.DEFAULT, c.id(), Set.of("vip"));
            inbox.resolve(c.id());
            var merge = inbox.merge(TenantId.DEFAULT, c.customer(), conversations.get(1).customer(), "ann", "same");
            inbox.unmerge(TenantId.DEFAULT, merge.id(), "ann");
            inbox.block(tg.account("43").key(), true);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                    inbox.message(TenantId.DEFAULT, failed.id()).orElseThrow().status() == DeliveryStatus.FAILED);

            List<InboxEvent> feed = inbox.events(0, 1000);
            Set<InboxEvent.Type> types = EnumSet.noneOf(InboxEvent.Type.class);
            Set<String> names = new HashSet<>();
            for (InboxEvent e : feed) {
                types.add(e.type());
                names.addAll(e.attributes().keySet());
            }
            assertThat(types).contains(InboxEvent.Type.MESSAGE_RECEIVED, InboxEvent.Type.REPLY_QUEUED,
                    InboxEvent.Type.DELIVERY_STATUS_CHANGED, InboxEvent.Type.CONVERSATION_OPENED,
                    InboxEvent.Type.CONVERSATION_UPDATED, InboxEvent.Type.CONVERSATION_RESOLVED,
                    InboxEvent.Type.CUSTOMER_CREATED, InboxEvent.Type.CUSTOMERS_MERGED, InboxEvent.Type.MERGE_UNDONE,
                    InboxEvent.Type.ACCOUNT_UPDATED, InboxEvent.Type.INPUT_QUARANTINED);
            assertThat(declaredNames()).containsAll(names);

            InboxEvent queued = feed.stream().filter(e -> e.type() == InboxEvent.Type.REPLY_QUEUED).findFirst()
                    .orElseThrow();
            assertThat(queued.channel()).contains(ChannelId.of("tg"));
            assertThat(queued.attribute(InboxEvent.Attribute.AUTOMATED)).contains("true");
            assertThat(queued.attribute(InboxEvent.Attribute.AGENT)).contains("ann");
            assertThat(queued.deliveryStatus()).isEmpty();
            assertThat(feed).filteredOn(e -> e.type() == InboxEvent.Type.DELIVERY_STATUS_CHANGED)
                    .extracting(e -> e.deliveryStatus().orElseThrow())
                    .contains(DeliveryStatus.QUEUED, DeliveryStatus.FAILED);
            assertThat(inbox.lastEventSeq()).isGreaterThanOrEqualTo(feed.get(feed.size() - 1).seq());
        }
    }

    private static Set<String> declaredNames() throws IllegalAccessException {
        Set<String> names = new HashSet<>();
        for (Field f : InboxEvent.Attribute.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                names.add((String) f.get(null));
            }
        }
        return names;
    }
}
